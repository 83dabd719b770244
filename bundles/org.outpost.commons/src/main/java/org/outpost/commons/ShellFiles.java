/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;

/**
 * {@link UserFiles} for shell commands: the folder the operator's shell was started in comes from the session, and a
 * file that cannot be read is a {@link CommandException}, which the shell prints (and a scripted shell turns into a
 * failing exit code) without logging a stack trace for what is only a typo.
 */
public final class ShellFiles {

    private ShellFiles() {
    }

    /** @return the absolute path {@code file} means in this session */
    public static Path resolve(Session session, String file) {
        return UserFiles.resolve(file, session.get(UserFiles.CWD_VARIABLE));
    }

    /** @return the content of {@code file} (UTF-8) */
    public static String read(Session session, String file) throws CommandException {
        try {
            return UserFiles.readString(file, session.get(UserFiles.CWD_VARIABLE));
        } catch (IOException e) {
            throw new CommandException(e.getMessage(), e);
        }
    }
}
