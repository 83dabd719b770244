/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * IoT Hub's shared access signature: {@code SharedAccessSignature sr=<resource>&sig=<signature>&se=<expiry>}, where
 * the signature is the Base64 HMAC-SHA256, under the device's (Base64) key, of the URL-encoded resource URI, a newline
 * and the expiry in UNIX seconds. The resource is {@code <host>/devices/<deviceId>} (or {@code .../modules/<moduleId>}).
 * An optional {@code skn} names a shared access policy.
 *
 * @param resource the resource URI, decoded
 * @param encodedResource the resource as the token carries it (URL-encoded): what was signed
 * @param signature the Base64 signature
 * @param expiry when the token expires
 * @param keyName the policy name ({@code skn}), or null
 */
public record SasToken(String resource, String encodedResource, String signature, Instant expiry, String keyName) {

    private static final String PREFIX = "SharedAccessSignature ";
    /** The largest expiry read: the year 9999 (Instant reaches further, and throws beyond). */
    static final long MAX_EXPIRY = 253_402_300_799L;

    /** Why a token was not accepted. */
    public enum Check {
        VALID, EXPIRED, WRONG_RESOURCE, BAD_SIGNATURE
    }

    /**
     * Makes a token, as a device does.
     *
     * @param resource the resource URI, e.g. {@code hub.example/devices/gw1}
     * @param base64Key the device key (Base64)
     * @param expiry when it expires
     * @return the token string
     * @throws IllegalArgumentException if the key is not Base64
     */
    public static String create(String resource, String base64Key, Instant expiry) {
        String sr = URLEncoder.encode(resource, StandardCharsets.UTF_8);
        long se = expiry.getEpochSecond();
        String sig = sign(sr, se, base64Key);
        return PREFIX + "sr=" + sr + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8) + "&se=" + se;
    }

    /**
     * @param token a token string
     * @return its parts
     * @throws IllegalArgumentException saying what is wrong, if it is not a shared access signature
     */
    public static SasToken parse(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a shared access signature: it must start with '" + PREFIX.strip()
                    + " '");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : token.substring(PREFIX.length()).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                // A field name is echoed; anything else could be part of a signature, which is not for the log.
                throw new IllegalArgumentException("shared access signature field " + (pair.matches("[A-Za-z]{1,8}")
                        ? "'" + pair + "' " : "") + "is not key=value");
            }
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        for (String required : new String[] {"sr", "sig", "se"}) {
            if (!fields.containsKey(required) || fields.get(required).isEmpty()) {
                throw new IllegalArgumentException("shared access signature has no '" + required + "'");
            }
        }
        long se;
        try {
            se = Long.parseLong(fields.get("se"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shared access signature expiry se='" + abbreviated(fields.get("se"))
                    + "' is not UNIX seconds");
        }
        if (se < 0 || se > MAX_EXPIRY) {
            // Instant would throw past its range; no token lives that long anyway.
            throw new IllegalArgumentException("shared access signature expiry se=" + se + " is out of range (0 to "
                    + MAX_EXPIRY + " UNIX seconds)");
        }
        String sr = fields.get("sr");
        return new SasToken(URLDecoder.decode(sr, StandardCharsets.UTF_8), sr,
                URLDecoder.decode(fields.get("sig"), StandardCharsets.UTF_8), Instant.ofEpochSecond(se),
                fields.get("skn"));
    }

    private static String abbreviated(String s) {
        return s.length() <= 24 ? s : s.substring(0, 24) + "...";
    }

    /**
     * @return the device whose device-level resource ({@code <host>/devices/<d>}) this token is for, if that is what
     *         it names; empty for a module's resource ({@code .../modules/<m>}) or any other. A token of device
     *         {@code g} presented with the client id of another device (or module) {@code x} asks to connect
     *         {@code x} on behalf of {@code g}: a gateway above {@code x} (docs/gateways.md)
     */
    public java.util.Optional<String> device() {
        String[] p = resource.split("/", -1);
        int at = p.length == 3 ? 1 : p.length == 2 ? 0 : -1;
        if (at < 0 || !p[at].equals("devices") || p[at + 1].isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(p[at + 1]);
    }

    /**
     * @param expectedResource the resource this token must be for, e.g. {@code <host>/devices/<deviceId>}; compared
     *            without case and with or without the host
     * @param base64Key the key to check the signature with
     * @param now the time
     * @return whether the token is valid, or why not
     */
    public Check check(String expectedResource, String base64Key, Instant now) {
        if (!now.isBefore(expiry)) {
            return Check.EXPIRED;
        }
        if (!namesResource(expectedResource)) {
            return Check.WRONG_RESOURCE;
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(sign(encodedResource, expiry.getEpochSecond(), base64Key));
            return MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature)) ? Check.VALID
                    : Check.BAD_SIGNATURE;
        } catch (IllegalArgumentException e) {
            return Check.BAD_SIGNATURE;
        }
    }

    /** The resource is the expected one, or the expected one under any host ({@code host/devices/x}). */
    private boolean namesResource(String expected) {
        String r = resource.toLowerCase(java.util.Locale.ROOT);
        String e = expected.toLowerCase(java.util.Locale.ROOT);
        if (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r.equals(e) || r.endsWith("/" + e);
    }

    /** @return the bytes of a key in Base64, standard or URL-safe (with or without padding) */
    static byte[] key(String base64Key) {
        String k = base64Key.strip();
        return k.indexOf('-') >= 0 || k.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(k)
                : Base64.getDecoder().decode(k);
    }

    private static String sign(String encodedResource, long expiry, String base64Key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(base64Key), "HmacSHA256"));
            byte[] sig = mac.doFinal((encodedResource + "\n" + expiry).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
