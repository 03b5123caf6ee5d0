package org.bobbob.sample;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API lives under {@code /api}; the page is served from {@code /}. */
@ApplicationPath("/api")
public class BlobApplication extends Application {}
