/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files that an operator names in a shell command. The command runs in the gateway's (or hub's) JVM, not where the
 * operator typed it: a relative path is taken from the folder the shell was started in when the shell says which
 * ({@code bin/outpost-shell -b} sets the session variable {@value #CWD_VARIABLE}), otherwise from the instance's own
 * folder, and an error always shows the absolute path that was tried and why.
 */
public final class UserFiles {

    /** The session variable that holds the folder the operator's shell was started in. */
    public static final String CWD_VARIABLE = "OUTPOST_CWD";

    private UserFiles() {
    }

    /**
     * @param given the path as the operator typed it
     * @param cwd the folder the operator's shell was started in (the {@value #CWD_VARIABLE} session variable), or
     *            null when it cannot be known (an interactive shell)
     * @return the absolute path {@code given} means
     */
    public static Path resolve(String given, Object cwd) {
        Path p = Path.of(given);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        return base(cwd).resolve(p).toAbsolutePath().normalize();
    }

    /**
     * @return the file's content (UTF-8)
     * @throws FileNotFoundException if there is no such file, saying which absolute path was tried and which folder
     *             a relative path was taken from
     * @throws IOException if it cannot be read, saying why
     */
    public static String readString(String given, Object cwd) throws IOException {
        Path file = resolve(given, cwd);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException(missing(given, file, cwd));
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e, e);
        }
    }

    /** @return the message for a file that is not there, naming the path tried and where it was taken from */
    public static String missing(String given, Path tried, Object cwd) {
        if (Path.of(given).isAbsolute()) {
            return "no file " + tried;
        }
        return "no file " + tried + (cwd instanceof String
                ? " ('" + given + "' taken from the folder the shell was started in)"
                : " ('" + given + "' taken from the instance's folder " + base(null) + ": an interactive shell does not"
                        + " say where it was started, so give an absolute path)");
    }

    private static Path base(Object cwd) {
        if (cwd instanceof String s && !s.isBlank()) {
            return Path.of(s);
        }
        return Path.of(System.getProperty("karaf.base", System.getProperty("user.dir"))).toAbsolutePath();
    }
}
