/**
 * auth-core in a Jakarta Servlet container: {@link dev.authcore.examples.jetty.ApiTokenFilter}
 * checks {@code x-api-user} and {@code x-api-token} before any servlet runs, and {@link
 * dev.authcore.examples.jetty.JettyServletExample} wires it into embedded Jetty 12 (ee10).
 */
@NullMarked
package dev.authcore.examples.jetty;

import org.jspecify.annotations.NullMarked;
