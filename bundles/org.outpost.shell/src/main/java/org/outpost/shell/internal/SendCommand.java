/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.api.message.Message;
import org.outpost.api.runtime.EdgeRuntime;

/** {@code edge:send}: injects a test message as if a module had sent it. */
@Service
@Command(scope = "edge", name = "send", description = "Sends a test message as if <module> had sent it to <output>;"
        + " routes then carry it as any other message.")
public class SendCommand implements Action {

    @Reference
    private EdgeRuntime runtime;

    @Argument(index = 0, name = "module", required = true, description = "The sending module id")
    @Completion(ModuleCompleter.class)
    private String module;

    @Argument(index = 1, name = "output", required = true, description = "The output name")
    private String output;

    @Argument(index = 2, name = "body", required = true, description = "The message body (text; JSON sets the JSON"
            + " content type)")
    private String body;

    @Option(name = "-p", aliases = "--property", multiValued = true, description = "An application property,"
            + " name=value (repeatable)")
    private List<String> properties;

    @Override
    public Object execute() throws Exception {
        String trimmed = body.strip();
        Message.Builder b = Message.builder();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            b.json(body);
        } else {
            b.body(body).contentType("text/plain");
        }
        if (properties != null) {
            for (String p : properties) {
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw new CommandException("property '" + p + "' must be name=value");
                }
                b.property(p.substring(0, eq), p.substring(eq + 1));
            }
        }
        Message m = b.build();
        runtime.inject(module, output, m);
        System.out.println("Stored a " + m.bodyLength() + "-byte message from " + module + "/" + output + ".");
        return null;
    }
}
