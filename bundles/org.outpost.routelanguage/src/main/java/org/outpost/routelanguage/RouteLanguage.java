/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.outpost.routelanguage.Token.Kind;

/**
 * The entry point of the route language: compile routes and conditions as IoT Edge's edgeHub reads them.
 *
 * <pre>{@code
 * CompiledRoute route = RouteLanguage.compileRoute("alerts",
 *         "FROM /messages/modules/filter/outputs/* WHERE $body.machine.temperature > 30 INTO $upstream");
 * CompiledRoute.Decision d = route.decide(RouteMessage.of("/messages/modules/filter/outputs/out", message));
 * }</pre>
 */
public final class RouteLanguage {

    private static final Pattern MODULE_INPUT = Pattern.compile("/modules/([^/]+)/inputs/([^/]+)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private RouteLanguage() {
    }

    /**
     * @param name the route's name, for messages
     * @param text the route
     * @return the compiled route
     * @throws RouteCompileException saying what is wrong and at which column
     */
    public static CompiledRoute compileRoute(String name, String text) throws RouteCompileException {
        Parser p = new Parser(name, text);
        if (p.peek().is(Kind.SELECT)) {
            p.take();
            p.expect(Kind.MUL, "'*' after SELECT");
        }
        p.expect(Kind.FROM, "FROM <source>");
        String source = source(p);
        Optional<Condition> condition = Optional.empty();
        if (p.peek().is(Kind.WHERE)) {
            p.take();
            Token start = p.peek();
            Node tree = p.condition(Kind.INTO);
            Expr e = new Compiler(name, isTwinSource(source)).condition(tree);
            String conditionText = text.substring(start.column() - 1, p.peek().column() - 1).strip();
            condition = Optional.of(new Condition(conditionText, e));
        }
        Token into = p.peek();
        if (!into.is(Kind.INTO)) {
            throw p.error(into, into.is(Kind.EOF) ? "the route needs INTO <sink> at the end"
                    : "expected INTO <sink>, found '" + into.text() + "'");
        }
        p.take();
        Sink sink = sink(p);
        Token end = p.peek();
        if (!end.is(Kind.EOF)) {
            throw p.error(end, "unexpected '" + end.text() + "' after the sink");
        }
        return new CompiledRoute(name, text.strip(), source, condition, sink);
    }

    /**
     * @param text a condition, the text after WHERE
     * @return the compiled condition
     * @throws RouteCompileException saying what is wrong and at which column of {@code text}
     */
    public static Condition compileCondition(String text) throws RouteCompileException {
        return compile(text, true);
    }

    /**
     * @param text a condition, the text after WHERE
     * @param source the source path of the route it belongs to (e.g. {@code /twinChangeNotifications}, where alone
     *            {@code twin_change_includes} may be used), or null when unknown (then it may be used)
     * @return the compiled condition
     * @throws RouteCompileException saying what is wrong and at which column of {@code text}
     */
    public static Condition compileCondition(String text, String source) throws RouteCompileException {
        return compile(text, source == null || isTwinSource(source));
    }

    private static Condition compile(String text, boolean twinAllowed) throws RouteCompileException {
        Parser p = new Parser(null, text);
        Node tree = p.condition(Kind.EOF);
        return new Condition(text.strip(), new Compiler(null, twinAllowed).condition(tree));
    }

    private static boolean isTwinSource(String source) {
        return source != null && source.toLowerCase(java.util.Locale.ROOT).startsWith("/twinchangenotifications");
    }

    private static String source(Parser p) throws RouteCompileException {
        StringBuilder source = new StringBuilder();
        while (p.peek().is(Kind.DIV)) {
            Token slash = p.take();
            Token item = p.take();
            if (!item.is(Kind.ID) && !item.is(Kind.MUL)) {
                throw p.error(item, "a source path segment must follow '/' (e.g. /messages/modules/sensor/*)");
            }
            if (item.column() != slash.column() + 1) {
                throw p.error(item, "no space is allowed inside a source path");
            }
            source.append('/').append(item.text());
        }
        if (source.length() == 0) {
            throw p.error(p.peek(), "expected a source path such as /messages/* after FROM");
        }
        return source.toString();
    }

    private static Sink sink(Parser p) throws RouteCompileException {
        Token t = p.take();
        if (t.is(Kind.SYS_PROP) && t.text().equalsIgnoreCase("$upstream")) {
            return Sink.UPSTREAM;
        }
        if (t.is(Kind.ID) && t.text().equalsIgnoreCase("BrokeredEndpoint")) {
            p.expect(Kind.OPEN, "'(' after BrokeredEndpoint");
            Token endpoint = p.expect(Kind.STRING, "an endpoint string such as \"/modules/filter/inputs/input1\"");
            p.expect(Kind.CLOSE, "')'");
            String path = Lexer.unquote(endpoint.text());
            Matcher m = MODULE_INPUT.matcher(path);
            if (!m.matches()) {
                throw p.error(endpoint, "BrokeredEndpoint must be \"/modules/<module>/inputs/<input>\", got \""
                        + path + "\"");
            }
            if (!NAME.matcher(m.group(1)).matches() || !NAME.matcher(m.group(2)).matches()) {
                throw p.error(endpoint, "module and input names are 1 to 64 letters, digits, '-' or '_', got \""
                        + path + "\"");
            }
            return new Sink(m.group(1), m.group(2));
        }
        throw p.error(t, "the sink must be $upstream or BrokeredEndpoint(\"/modules/<module>/inputs/<input>\"),"
                + " found '" + t.text() + "'");
    }
}
