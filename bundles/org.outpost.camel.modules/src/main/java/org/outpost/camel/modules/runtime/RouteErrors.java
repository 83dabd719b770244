/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.xml.io.XmlPullParserException;
import org.apache.camel.xml.io.XmlPullParserLocationException;

/**
 * Turns what Camel throws on a route module's files into {@code <file> line L, column C: <what>}.
 */
final class RouteErrors {

    /** A component nobody serves, as org.outpost.camel words it: {@code component milo-client not found: ...}. */
    private static final Pattern NOT_FOUND = Pattern.compile("(component|data format|language) (\\S+) not found: .*");
    private static final Pattern FAILED_AT = Pattern.compile(" at: >>> (.*) <<< in route:", Pattern.DOTALL);
    private static final Pattern NO_COMPONENT = Pattern.compile("No component found with scheme: (\\S+)");

    private RouteErrors() {
    }

    /** @return the error of loading {@code file} (parsing it, adding its routes) */
    static RouteModuleException inFile(RouteFile file, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            YamlMark y = YamlMark.of(t);
            if (y != null) {
                return new RouteModuleException(file.path() + " line " + y.line() + ", column " + y.column() + ": "
                        + clean(y.problem()), e);
            }
            if (t instanceof XmlPullParserLocationException x && x.getLineNumber() > 0) {
                return new RouteModuleException(file.path() + " line " + x.getLineNumber() + ", column "
                        + Math.max(1, x.getColumnNumber()) + ": " + clean(xmlProblem(x.getMessage())), e);
            }
            if (t instanceof XmlPullParserException x && x.getLineNumber() > 0) {
                return new RouteModuleException(file.path() + " line " + x.getLineNumber() + ", column "
                        + Math.max(1, x.getColumnNumber()) + ": " + clean(xmlProblem(x.getMessage())), e);
            }
        }
        String what = what(e);
        String at = positionOfNamedThing(file, what);
        return new RouteModuleException(file.path() + (at == null ? "" : " " + at) + ": " + what, e, missing(what));
    }

    /** @return the error of starting the context with the files' routes */
    static RouteModuleException whenStarting(List<RouteFile> files, CamelContext camel, Exception e) {
        String what = what(e);
        String routeId = null;
        String failedAt = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException f) {
                routeId = f.getRouteId();
                Matcher at = FAILED_AT.matcher(String.valueOf(f.getMessage()));
                failedAt = at.find() ? at.group(1) : null;
                break;
            }
            if (t instanceof FailedToStartRouteException f) {
                routeId = f.getRouteId();
                break;
            }
        }
        RouteFile file = null;
        int routeLine = -1;
        if (routeId != null) {
            Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
            RouteDefinition def = model == null ? null : model.getRouteDefinition(routeId);
            if (def != null) {
                String location = def.getLocation() != null ? def.getLocation()
                        : def.getResource() != null ? def.getResource().getLocation() : null;
                for (RouteFile f : files) {
                    if (location != null && (location.equals(f.path()) || location.endsWith(":" + f.path())
                            || location.contains(f.path()))) {
                        file = f;
                    }
                }
                routeLine = def.getLineNumber();
                int stepLine = failedAt == null ? -1 : lineOf(def, failedAt);
                if (stepLine > 0) {
                    routeLine = stepLine;
                }
            }
        }
        if (file == null) {
            for (RouteFile f : files) {
                if (positionOfNamedThing(f, what) != null) {
                    file = f;
                    break;
                }
            }
        }
        if (file == null) {
            file = files.size() == 1 ? files.get(0) : null;
        }
        if (file == null) {
            return new RouteModuleException(String.join(", ", files.stream().map(RouteFile::path).toList()) + ": "
                    + what, e, missing(what));
        }
        String at = positionOfNamedThing(file, what);
        if (at == null && routeLine > 0) {
            at = "line " + routeLine + ", column " + firstColumn(file, routeLine);
        }
        return new RouteModuleException(file.path() + (at == null ? "" : " " + at) + ": " + what, e, missing(what));
    }

    /**
     * @param what a message of {@link #what}
     * @return the component nobody serves that it names ({@code dataformat:x}, {@code language:x} for those); else null
     */
    static String missing(String what) {
        Matcher nf = NOT_FOUND.matcher(what);
        if (nf.matches()) {
            return switch (nf.group(1)) {
                case "data format" -> "dataformat:" + nf.group(2);
                case "language" -> "language:" + nf.group(2);
                default -> nf.group(2);
            };
        }
        Matcher nc = Pattern.compile("^component (\\S+) not found$").matcher(what);
        return nc.find() ? nc.group(1) : null;
    }

    /** @return the message that says what is wrong: the deepest cause's, or ours when a component is missing */
    static String what(Throwable e) {
        String deepest = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            Matcher nf = NOT_FOUND.matcher(m);
            if (nf.matches()) {
                return m;
            }
            Matcher nc = NO_COMPONENT.matcher(m);
            if (nc.find()) {
                return "component " + nc.group(1) + " not found";
            }
            deepest = m;
        }
        if (deepest != null && deepest.startsWith("Missing {{ from the text")) {
            return clean(deepest) + " (Camel reads '}}' as the end of a property placeholder: write '} }')";
        }
        return deepest == null ? e.toString() : clean(deepest);
    }

    /** @return the position of the component (scheme) a message names, e.g. {@code milo-client:} in the file */
    private static String positionOfNamedThing(RouteFile file, String what) {
        Matcher nf = NOT_FOUND.matcher(what);
        String name = null;
        if (nf.matches()) {
            name = nf.group(2);
        } else {
            Matcher nc = Pattern.compile("component (\\S+) not found").matcher(what);
            if (nc.find()) {
                name = nc.group(1);
            }
        }
        if (name == null) {
            return null;
        }
        Matcher uri = Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + ":").matcher(file.text());
        return uri.find() ? file.position(uri.start()) : null;
    }

    /** @return the line of the route's step that prints as {@code step}, -1 if none does */
    private static int lineOf(RouteDefinition route, String step) {
        if (route.getInput() != null && step.equals(route.getInput().toString())) {
            return route.getInput().getLineNumber();
        }
        return lineOf(route.getOutputs(), step);
    }

    private static int lineOf(List<ProcessorDefinition<?>> steps, String step) {
        for (ProcessorDefinition<?> p : steps) {
            if (step.equals(p.toString()) && p.getLineNumber() > 0) {
                return p.getLineNumber();
            }
            int inner = lineOf(p.getOutputs(), step);
            if (inner > 0) {
                return inner;
            }
        }
        return -1;
    }

    private static int firstColumn(RouteFile file, int line) {
        String[] lines = file.text().split("\n", -1);
        if (line - 1 >= lines.length) {
            return 1;
        }
        String l = lines[line - 1];
        int i = 0;
        while (i < l.length() && (Character.isWhitespace(l.charAt(i)) || l.charAt(i) == '-')) {
            i++;
        }
        return i + 1;
    }

    private static String xmlProblem(String m) {
        if (m == null) {
            return "not well-formed XML";
        }
        // "... (position: START_TAG seen ...@7:5)" and the like: the position is said already
        int p = m.indexOf(" (position:");
        return p > 0 ? m.substring(0, p) : m;
    }

    private static String clean(String message) {
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl).strip() : m;
    }
}
