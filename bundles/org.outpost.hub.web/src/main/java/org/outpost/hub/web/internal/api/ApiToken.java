/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The API's bearer token, or why there is none: a token shorter than {@value #MIN_LENGTH} characters (an empty file,
 * a short configured value) is not a token, and no call matches it. Calls are compared by their SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the time a comparison takes says nothing about the token, not even its length.
 */
final class ApiToken {

    /** Characters a token needs at least: a made one has 43 (32 random bytes in Base64). */
    static final int MIN_LENGTH = 32;

    private final byte[] digest;
    private final String problem;

    private ApiToken(byte[] digest, String problem) {
        this.digest = digest;
        this.problem = problem;
    }

    /**
     * @param token the token, or null if it could not be read
     * @param where where it comes from, for the problem's text (a file, or the configuration)
     */
    static ApiToken of(String token, String where) {
        if (token == null || token.isBlank()) {
            return unusable("the REST API token in " + where + " is empty");
        }
        String t = token.strip();
        if (t.length() < MIN_LENGTH) {
            return unusable("the REST API token in " + where + " has " + t.length() + " characters; at least "
                    + MIN_LENGTH + " are needed");
        }
        return new ApiToken(sha256(t), null);
    }

    /** @param problem what is wrong and where, without the token */
    static ApiToken unusable(String problem) {
        return new ApiToken(null, problem);
    }

    /** @return what is wrong with the token, or null if it is usable */
    String problem() {
        return problem;
    }

    /** @return whether a token was presented and it is this one (false for every call when the token is unusable) */
    boolean matches(String presented) {
        if (digest == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
