/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.artifacts;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A file of a Maven repository as a child asks for it: {@code <group as folders>/<artifact>/<version>/<file>} or the
 * metadata {@code <group>/<artifact>[/<version>]/maven-metadata.xml}, with an optional checksum suffix
 * ({@code .sha1}, {@code .md5}, {@code .sha256}, {@code .sha512}). Parsed and checked before anything touches the
 * disk: every segment is a plain name (letters, digits, {@code . _ - + ~}), never {@code .} or {@code ..}, so a path
 * cannot leave the repositories.
 *
 * @param segments the path's segments, checked
 * @param groupId the group id, or null for a path that names no artifact (metadata of a group)
 * @param artifactId the artifact id, or null
 * @param version the version folder, or null for metadata across versions
 * @param fileVersion the version in the file name (a timestamped snapshot's differs from its folder), or null
 * @param classifier the classifier, or null
 * @param extension the extension ({@code jar}, {@code xml}, {@code tar.gz}), or null for metadata
 * @param checksum the checksum algorithm asked for ({@code sha1}, ...), or null for the file itself
 */
record ArtifactPath(List<String> segments, String groupId, String artifactId, String version, String fileVersion,
        String classifier, String extension, String checksum) {

    static final String METADATA = "maven-metadata.xml";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._+~-]{1,200}");
    private static final List<String> CHECKSUMS = List.of("sha1", "md5", "sha256", "sha512");

    /** @return the path relative to a repository's root, {@code a/b/c} */
    String relative() {
        return String.join("/", segments);
    }

    /** @return the path of the file whose checksum this asks for (itself when it asks for no checksum) */
    ArtifactPath withoutChecksum() {
        if (checksum == null) {
            return this;
        }
        List<String> s = new java.util.ArrayList<>(segments);
        String last = s.remove(s.size() - 1);
        s.add(last.substring(0, last.length() - checksum.length() - 1));
        return new ArtifactPath(List.copyOf(s), groupId, artifactId, version, fileVersion, classifier, extension,
                null);
    }

    /** @return whether this is a {@code maven-metadata.xml} (or its checksum) */
    boolean isMetadata() {
        return extension == null;
    }

    /** @return the pax-url location of the artifact, {@code mvn:g/a/v/ext/classifier} */
    String mvnUrl() {
        return "mvn:" + groupId + "/" + artifactId + "/" + fileVersion + "/" + extension
                + (classifier == null ? "" : "/" + classifier);
    }

    /**
     * @param path what follows {@code /artifacts/} in the request, URL-decoded
     * @return the file it names, or why it is refused (a message for the client and the log, echoing no more than
     *         the path's first characters)
     */
    static Result parse(String path) {
        if (path.isEmpty()) {
            return Result.refused("no file named after /artifacts/");
        }
        String[] parts = path.split("/", -1);
        for (String p : parts) {
            if (p.equals(".") || p.equals("..") || !SEGMENT.matcher(p).matches()) {
                return Result.refused("path segment '" + shorten(p) + "' is not a plain file or folder name"
                        + " (letters, digits, . _ - + ~; not . or ..)");
            }
        }
        List<String> segments = List.of(parts);
        String file = parts[parts.length - 1];
        String checksum = null;
        for (String c : CHECKSUMS) {
            if (file.toLowerCase(Locale.ROOT).endsWith("." + c)) {
                checksum = c;
                file = file.substring(0, file.length() - c.length() - 1);
            }
        }
        if (file.equals(METADATA)) {
            return metadata(segments, parts, checksum);
        }
        if (parts.length < 4) {
            return Result.refused("'" + shorten(path) + "' is not <group>/<artifact>/<version>/<file>");
        }
        String artifact = parts[parts.length - 3];
        String version = parts[parts.length - 2];
        String group = String.join(".", Arrays.copyOfRange(parts, 0, parts.length - 3));
        if (!file.startsWith(artifact + "-")) {
            return Result.refused("file '" + shorten(file) + "' does not belong to artifact '" + artifact + "'");
        }
        String rest = file.substring(artifact.length() + 1);
        String fileVersion;
        if (rest.startsWith(version)) {
            fileVersion = version;
        } else if (version.endsWith("-SNAPSHOT") && rest.startsWith(base(version) + "-")) {
            // A timestamped snapshot: <base>-<yyyyMMdd.HHmmss>-<build>
            java.util.regex.Matcher m = Pattern.compile(Pattern.quote(base(version)) + "-\\d{8}\\.\\d{6}-\\d+")
                    .matcher(rest);
            if (!m.lookingAt()) {
                return Result.refused("file '" + shorten(file) + "' is not of version " + version);
            }
            fileVersion = m.group();
        } else {
            return Result.refused("file '" + shorten(file) + "' is not of version " + version);
        }
        String tail = rest.substring(fileVersion.length());
        String classifier = null;
        if (tail.startsWith("-")) {
            int dot = tail.indexOf('.');
            if (dot < 2) {
                return Result.refused("file '" + shorten(file) + "' has no extension after its classifier");
            }
            classifier = tail.substring(1, dot);
            tail = tail.substring(dot);
        }
        if (!tail.startsWith(".") || tail.length() < 2) {
            return Result.refused("file '" + shorten(file) + "' has no extension");
        }
        return Result.of(new ArtifactPath(segments, group, artifact, version, fileVersion, classifier,
                tail.substring(1), checksum));
    }

    private static Result metadata(List<String> segments, String[] parts, String checksum) {
        if (parts.length < 3) {
            return Result.refused("maven-metadata.xml needs <group>/<artifact>/ before it");
        }
        // <group>/<artifact>/maven-metadata.xml, or <group>/<artifact>/<version>/maven-metadata.xml
        boolean versioned = parts.length >= 4 && parts[parts.length - 2].matches("\\d.*");
        int artifactAt = versioned ? parts.length - 3 : parts.length - 2;
        String group = String.join(".", Arrays.copyOfRange(parts, 0, artifactAt));
        return Result.of(new ArtifactPath(segments, group, parts[artifactAt], versioned ? parts[parts.length - 2]
                : null, null, null, null, checksum));
    }

    private static String base(String snapshot) {
        return snapshot.substring(0, snapshot.length() - "-SNAPSHOT".length());
    }

    private static String shorten(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 60) + "...";
    }

    /** A parsed path, or why it was refused. */
    record Result(Optional<ArtifactPath> path, String refusal) {
        static Result of(ArtifactPath p) {
            return new Result(Optional.of(p), null);
        }

        static Result refused(String why) {
            return new Result(Optional.empty(), why);
        }
    }
}
