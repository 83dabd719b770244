/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Takes secrets out of what goes into a support bundle, by three rules:
 * <ul>
 * <li>by name: a key one of whose words (split at {@code . _ -} and camel case) is a secret word ({@code password},
 * {@code key}, {@code token}, {@code secret}, {@code sas}, {@code sig}, {@code credentials}, ...) has its value
 * replaced, whole (an object or array under such a key too), unless its last word says it only names or times the
 * secret ({@code key.file}, {@code secrets.file}, {@code token.hours}, {@code sas.host.name});</li>
 * <li>by PID: every value of a configuration in the secret PIDs;</li>
 * <li>by shape, in every text (values, log lines, JSON strings): SAS tokens ({@code SharedAccessSignature ...}),
 * {@code sig=}, {@code key=}, {@code password=} and the like in query strings and connection strings, the password in
 * a URL's user info, PEM private keys, sealed values ({@code sb1:}) and long Base64 values that look like keys.</li>
 * </ul>
 * Redacting too much is the safe error: a bundle helps without a secret, and a secret that leaves cannot be called
 * back.
 */
final class Redactor {

    static final String REDACTED = "<redacted>";

    /** Words that make a key secret. */
    static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pwd", "pass", "passphrase", "secret",
            "secrets", "token", "tokens", "key", "keys", "apikey", "sas", "sig", "signature", "credential",
            "credentials", "private", "privatekey", "auth", "authorization", "cookie", "connectionstring", "salt");
    /** Last words that say the value is about the secret (where, how long, which), not the secret. */
    static final Set<String> HARMLESS_LAST_WORDS = Set.of("file", "path", "dir", "directory", "folder", "hours",
            "minutes", "seconds", "ms", "days", "name", "alias", "algorithm", "type", "id", "length", "size", "enabled",
            "generation", "count", "store", "expiry", "expires", "url", "host", "format");

    private static final Pattern WORD_SPLIT = Pattern.compile("[._\\-\\s/]+|(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern SAS = Pattern.compile("SharedAccessSignature\\s+[^\\s\"',;]+");
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", Pattern.DOTALL);
    /** {@code word=value} in query strings, connection strings, environment lists, log lines. */
    private static final Pattern ASSIGNED = Pattern.compile(
            "(?i)\\b([a-z0-9_.\\-]*(?:pass(?:word|wd|phrase)?|pwd|secret|token|sig|sharedaccesskey|apikey|"
                    + "access_?key|private_?key|device\\.?key|sas\\.?key|credential)[a-z0-9_.\\-]*)(\"?\\s*[=:]\\s*)"
                    + "(\"[^\"]*\"|[^\\s&;,\"'}\\]]+)");
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/@\\s:]*):[^/@\\s]+@");
    private static final Pattern SEALED = Pattern.compile("\\bsb1:[A-Za-z0-9+/=]+");
    /** A whole value of 32 or more Base64 or hex characters with letters and digits (not a path, not a UUID). */
    private static final Pattern KEY_LIKE = Pattern.compile(
            "^(?!/)(?=.*\\d)(?=.*[A-Za-z])[A-Za-z0-9+/_-]{32,}={0,2}$");
    private static final Pattern UUID = Pattern.compile("^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$");

    private final Set<String> secretPids;
    private final Set<String> extraWords;

    /**
     * @param secretPids configurations whose every value is secret
     * @param extraWords more secret words (lower case)
     */
    Redactor(Collection<String> secretPids, Collection<String> extraWords) {
        this.secretPids = Set.copyOf(secretPids);
        this.extraWords = extraWords.stream().map(w -> w.toLowerCase(Locale.ROOT)).collect(
                java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** @return whether a key's value is a secret by its name */
    boolean secretKey(String key) {
        List<String> words = List.of(WORD_SPLIT.split(key.strip()));
        if (words.isEmpty()) {
            return false;
        }
        String last = words.get(words.size() - 1).toLowerCase(Locale.ROOT);
        if (words.size() > 1 && HARMLESS_LAST_WORDS.contains(last)) {
            return false;
        }
        String joined = key.toLowerCase(Locale.ROOT).replaceAll("[._\\-\\s]", "");
        if (joined.contains("password") || joined.contains("connectionstring") || joined.contains("sharedaccess")
                || joined.contains("privatekey") || joined.contains("secret")) {
            return true;
        }
        for (String w : words) {
            String word = w.toLowerCase(Locale.ROOT);
            if (SECRET_WORDS.contains(word) || extraWords.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether every value of this configuration is secret */
    boolean secretPid(String pid) {
        return pid != null && (secretPids.contains(pid) || secretPids.stream().anyMatch(p -> p.endsWith("*")
                && pid.startsWith(p.substring(0, p.length() - 1))));
    }

    /**
     * @param pid the configuration's PID (or factory PID)
     * @param properties its properties
     * @return them with every secret replaced, sorted by key
     */
    Map<String, Object> configuration(String pid, Map<String, Object> properties) {
        Map<String, Object> out = new TreeMap<>();
        boolean all = secretPid(pid);
        properties.forEach((k, v) -> {
            if (k.equals("service.pid") || k.equals("service.factoryPid")) {
                out.put(k, String.valueOf(v));
            } else if (all || secretKey(k)) {
                out.put(k, REDACTED);
            } else {
                out.put(k, value(v));
            }
        });
        return out;
    }

    private Object value(Object v) {
        if (v == null) {
            return null;
        }
        if (v.getClass().isArray() && !v.getClass().getComponentType().isPrimitive()) {
            return java.util.Arrays.stream((Object[]) v).map(this::value).toList();
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(this::value).toList();
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v.getClass().isArray()) {
            return REDACTED; // byte[], char[]: nothing a person reads, possibly key material
        }
        return text(v.toString());
    }

    /** @return a text with every secret of a known shape replaced (a whole value that looks like a key too) */
    String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String whole = text.strip();
        if (KEY_LIKE.matcher(whole).matches() && !UUID.matcher(whole).matches()) {
            return REDACTED;
        }
        return lines(text);
    }

    /** @return log or file text with every secret of a known shape replaced (long words are left: hashes, ids) */
    String lines(String text) {
        String t = PEM_KEY.matcher(text).replaceAll(REDACTED + " private key");
        t = SAS.matcher(t).replaceAll("SharedAccessSignature " + REDACTED);
        t = SEALED.matcher(t).replaceAll(REDACTED);
        t = USER_INFO.matcher(t).replaceAll("$1:" + REDACTED + "@");
        Matcher m = ASSIGNED.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            boolean harmless = !secretKey(name) && !name.toLowerCase(Locale.ROOT).contains("sharedaccesskey");
            m.appendReplacement(sb, Matcher.quoteReplacement(harmless ? m.group()
                    : name + m.group(2) + REDACTED));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * @param node a JSON document (a deployment manifest, a status)
     * @return a copy with the values of secret keys replaced (whole subtrees) and every string scrubbed
     */
    JsonNode json(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> out.set(e.getKey(), secretKey(e.getKey()) && !e.getValue().isNull()
                    ? TextNode.valueOf(REDACTED) : json(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(json(n)));
            return out;
        }
        if (node.isTextual()) {
            String t = node.asText();
            // A JSON string that holds JSON (createOptions) is redacted as JSON.
            if (t.startsWith("{") && t.endsWith("}")) {
                try {
                    return TextNode.valueOf(json(new com.fasterxml.jackson.databind.ObjectMapper().readTree(t))
                            .toString());
                } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
                    return TextNode.valueOf(text(t));
                }
            }
            return TextNode.valueOf(text(t));
        }
        return node.deepCopy();
    }
}
