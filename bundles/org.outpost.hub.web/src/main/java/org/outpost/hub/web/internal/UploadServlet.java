/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.hub.uploads.Uploads;
import org.outpost.hub.web.internal.api.HttpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where devices upload: {@code PUT /uploads/<upload>/<blob name>?...&sig=...}, answered as Azure Blob storage answers
 * Put Blob (201 with an {@code ETag}; errors as {@code <Error><Code>...</Code><Message>...</Message></Error>}), so
 * that IoT Edge's own edgeAgent can upload here too. The signature in the URL is the only credential: it is not the
 * API's token, and it opens one upload only, for {@code url.valid.minutes}.
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/uploads/*",
        "osgi.http.whiteboard.servlet.name=outpost-uploads"})
public final class UploadServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UploadServlet.class);

    private final transient Uploads uploads;

    /** Not used: needed, so that uploads are not taken over plain HTTP off loopback ({@link HttpTransport}). */
    @Reference
    private transient HttpTransport transport;

    @Activate
    public UploadServlet(@Reference Uploads uploads) {
        this.uploads = uploads;
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        int slash = path.indexOf('/', 1);
        if (slash < 0 || slash == path.length() - 1) {
            error(resp, 400, "InvalidUri", "PUT /uploads/<upload>/<blob name>?...&sig=... is the upload URL");
            return;
        }
        String id = path.substring(1, slash);
        String name = path.substring(slash + 1);
        long max = uploads.maxBytes();
        if (req.getContentLengthLong() > max) {
            error(resp, 413, "RequestBodyTooLarge", "the file is " + req.getContentLengthLong() + " bytes; the hub"
                    + " takes at most " + max);
            return;
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        String encoding = req.getHeader("x-ms-blob-content-encoding");
        if (encoding == null) {
            encoding = req.getHeader("Content-Encoding");
        }
        try {
            Uploads.UploadFile f = uploads.receive(id, req.getParameter("sig"), name, req.getContentType(), encoding,
                    body);
            resp.setStatus(201);
            resp.setHeader("ETag", "\"" + f.sha256() + "\"");
            resp.setHeader("x-ms-request-id", UUID.randomUUID().toString());
            resp.setHeader("x-ms-request-server-encrypted", "false");
        } catch (SecurityException e) {
            // Said to the caller; the log names the upload, never the signature.
            LOG.warn("An upload to {} from {} was refused: {}", id, req.getRemoteAddr(), e.getMessage());
            error(resp, 403, "AuthenticationFailed", e.getMessage());
        } catch (IllegalArgumentException e) {
            error(resp, e.getMessage().contains("at most") ? 413 : 400, e.getMessage().contains("at most")
                    ? "RequestBodyTooLarge" : "InvalidInput", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("An upload to {} could not be kept", id, e);
            error(resp, 503, "ServerBusy", "the hub could not keep the file now; try again");
        }
    }

    private static void error(HttpServletResponse resp, int status, String code, String message) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/xml");
        resp.setHeader("x-ms-error-code", code);
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>"
                + message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</Message></Error>")
                .getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(xml.length);
        resp.getOutputStream().write(xml);
    }
}
