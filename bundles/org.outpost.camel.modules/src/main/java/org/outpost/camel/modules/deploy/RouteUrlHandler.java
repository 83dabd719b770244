/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.url.AbstractURLStreamHandlerService;
import org.osgi.service.url.URLConstants;
import org.osgi.service.url.URLStreamHandlerService;
import org.outpost.camel.modules.api.RouteBundle;

/**
 * The {@value #PROTOCOL} URL scheme: {@code outpost-routes:file:/opt/outpost/deploy/opcua-reader.camel.yaml} reads
 * the route file and gives the route module's bundle made from it ({@link RouteJar}): module {@code opcua-reader},
 * configuration PID {@code org.outpost.module.opcua-reader}. {@link RouteFileTransformer} hands fileinstall such URLs
 * for the route files in {@code deploy/}; the framework opens them again when the bundle is updated.
 */
@Component(service = URLStreamHandlerService.class, property = URLConstants.URL_HANDLER_PROTOCOL + "="
        + RouteUrlHandler.PROTOCOL)
public final class RouteUrlHandler extends AbstractURLStreamHandlerService {

    /** The URL scheme of route bundles made from route files. */
    public static final String PROTOCOL = "outpost-routes";
    /** The version of a route module's bundle from {@code deploy/}: what changes is the content, not the version. */
    static final String VERSION = "1.0.0";
    /** The largest route file taken. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    @Override
    public URLConnection openConnection(URL url) throws IOException {
        if (url.getPath() == null || url.getPath().isBlank()) {
            throw new MalformedURLException("no route file in " + url + " (use " + PROTOCOL
                    + ":file:/path/to/<module>.camel.yaml)");
        }
        return new Connection(url);
    }

    /**
     * @param source a route file's URL ({@code file:/.../<module>.camel.yaml})
     * @return the route module's bundle
     * @throws IOException if the file cannot be read or its name makes no module
     */
    static byte[] bundleOf(URL source) throws IOException {
        String path = source.getPath();
        String fileName = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        if (!RouteFiles.isRouteFile(fileName)) {
            throw new IOException(source + " is not a route file (<module>.camel.yaml, .camel.yml or .camel.xml)");
        }
        String invalid = RouteFiles.invalidName(fileName).orElse(null);
        if (invalid != null) {
            throw new IOException(source + ": " + invalid);
        }
        byte[] content;
        try (InputStream in = source.openStream()) {
            content = in.readNBytes(MAX_BYTES + 1);
        }
        if (content.length > MAX_BYTES) {
            throw new IOException(source + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB: not a route file");
        }
        String module = RouteFiles.moduleName(fileName);
        String suffix = RouteFiles.suffix(fileName).orElseThrow();
        return RouteJar.build(module, RouteBundle.PID_PREFIX + module, VERSION, source.toString(), List.of(
                new RouteJar.RouteFile(module + suffix.toLowerCase(Locale.ROOT), content)));
    }

    /** A connection whose content is the bundle made from the route file the URL's path names. */
    static final class Connection extends URLConnection {

        private byte[] bundle;

        Connection(URL url) {
            super(url);
        }

        @Override
        public void connect() throws IOException {
            if (bundle == null) {
                bundle = bundleOf(new URL(url.getPath()));
                connected = true;
            }
        }

        @Override
        public InputStream getInputStream() throws IOException {
            connect();
            return new ByteArrayInputStream(bundle);
        }

        @Override
        public String getContentType() {
            return "application/java-archive";
        }

        @Override
        public long getContentLengthLong() {
            try {
                connect();
                return bundle.length;
            } catch (IOException e) {
                return -1;
            }
        }
    }
}
