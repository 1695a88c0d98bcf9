package dev.authcore.examples.jetty;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.authcore.Verification;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A protected resource: answers {@code GET} with the authenticated caller, one line of plain text.
 * It runs only behind {@link ApiTokenFilter}, which puts the caller into the request.
 */
final class WhoAmIServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Verification.Authenticated caller =
        (Verification.Authenticated) request.getAttribute(ApiTokenFilter.CALLER);
    byte[] body =
        (caller.email() + " of " + caller.corp() + " with token " + caller.tokenName() + "\n")
            .getBytes(UTF_8);
    response.setContentType("text/plain;charset=utf-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
