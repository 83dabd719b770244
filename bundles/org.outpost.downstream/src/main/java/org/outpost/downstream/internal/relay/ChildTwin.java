/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.outpost.commons.AtomicFiles;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;
import org.outpost.protocol.TwinLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's copy of one child identity's twin and its reported patches waiting for the hub, in
 * {@code <children>/<identity id, URL-encoded>/}: {@code twin.json} (the copy, replaced whole) and
 * {@code reported.journal} ({@link ReportedJournal}). The copy is the hub's twin as last read, with the desired
 * patches heard since and the reported patches not yet taken by the hub applied on top. Thread-safe; its lock guards
 * only the local file of the copy.
 */
final class ChildTwin {

    private static final Logger LOG = LoggerFactory.getLogger(ChildTwin.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Identity identity;
    private final Path twinFile;
    private final ReportedJournal journal;
    private final TwinLimits limits;
    private final Object fileLock = new Object();
    private volatile TwinDocument copy;

    private ChildTwin(Identity identity, Path dir, ReportedJournal journal, TwinDocument copy, TwinLimits limits) {
        this.identity = identity;
        this.twinFile = dir.resolve("twin.json");
        this.journal = journal;
        this.copy = copy;
        this.limits = limits;
    }

    /**
     * @param children the folder of all children's files
     * @return the identity's copy and journal as stored (an empty twin if there is none)
     * @throws IOException if a stored file cannot be read
     */
    static ChildTwin open(Identity identity, Path children, TwinLimits limits) throws IOException {
        Path dir = folder(children, identity);
        Path twin = dir.resolve("twin.json");
        TwinDocument copy = TwinDocument.empty();
        if (Files.exists(twin)) {
            try {
                copy = TwinDocument.parse(Files.readString(twin, StandardCharsets.UTF_8));
            } catch (TwinException e) {
                LOG.warn("{}: not a twin ({}); starting from an empty copy until the hub answers", twin,
                        e.getMessage());
            }
        }
        return new ChildTwin(identity, dir, ReportedJournal.open(dir.resolve("reported.journal")), copy, limits);
    }

    /** @return the folder of an identity's files: its id, URL-encoded ({@code B/$edgeAgent} is {@code B%2F%24edgeAgent}) */
    static Path folder(Path children, Identity identity) {
        return children.resolve(URLEncoder.encode(identity.id(), StandardCharsets.UTF_8));
    }

    Identity identity() {
        return identity;
    }

    /** @return the copy now */
    TwinDocument copy() {
        return copy;
    }

    ReportedJournal journal() {
        return journal;
    }

    /**
     * Checks a reported patch as the hub would, stores it in the journal and applies it to the copy.
     *
     * @return the copy after it
     * @throws TwinException if it is refused (malformed, a bad key, over a limit): nothing is stored
     * @throws UncheckedIOException if it cannot be stored
     */
    TwinDocument patchReported(String patchJson) {
        TwinDocument next;
        synchronized (this) {
            next = copy.patchReported(patchJson, limits);
            try {
                journal.append(JSON.readTree(patchJson).toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store " + identity + "'s reported patch in "
                        + twinFile.getParent() + ": " + e.getMessage() + " (check the disk)", e);
            }
            copy = next;
        }
        return write("reported patch");
    }

    /** Takes the twin the hub sent, with what still waits in the journal on top; returns the copy. */
    TwinDocument tookFromHub(TwinDocument atHub) {
        synchronized (this) {
            copy = withWaiting(atHub);
        }
        return write("twin from the hub");
    }

    private TwinDocument withWaiting(TwinDocument atHub) {
        TwinDocument next = atHub;
        for (ReportedJournal.Entry e : journal.waiting()) {
            try {
                next = next.patchReported(e.patch(), limits);
            } catch (TwinException ex) {
                // The hub will refuse it too (and the journal drops it then); the copy goes without it.
                LOG.debug("{}: a waiting reported patch does not apply to the hub's twin: {}", identity,
                        ex.getMessage());
            }
        }
        return next;
    }

    /** Applies a desired patch the hub sent (at its version); returns the copy. */
    TwinDocument desiredPatch(long version, String patchJson) {
        synchronized (this) {
            TwinDocument next = copy.patchDesired(patchJson, limits);
            copy = next.withDesired(next.desired(), version, limits);
        }
        return write("desired patch");
    }

    /** Writes the copy as it is now (a later write of a newer copy may overtake: the newest is written last). */
    private TwinDocument write(String what) {
        synchronized (fileLock) {
            TwinDocument latest = copy;
            try {
                AtomicFiles.write(twinFile, latest.toJson());
            } catch (IOException e) {
                LOG.warn("{}: cannot store the twin copy after a {} in {} ({}); it is kept in memory and written at the"
                        + " next change (check the disk)", identity, what, twinFile, e.toString());
            }
            return latest;
        }
    }
}
