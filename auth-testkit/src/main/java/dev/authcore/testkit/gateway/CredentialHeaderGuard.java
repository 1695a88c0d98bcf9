package dev.authcore.testkit.gateway;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Refuses a request whose {@code x-api-user} or {@code x-api-token} line holds a tab, as Jetty
 * refuses one holding any other control character (400, malformed request).
 *
 * <p>Why: HTTP lets a server drop spaces and tabs around a header's value, and Jetty does, so an
 * email sent with a trailing tab or a token with a leading tab would reach the gateway clean and
 * authenticate. No client writes credentials that way; a tab there is a mangled or crafted request.
 * The gateway itself checks what Jetty hands over for control characters ({@code ApiHandler}); this
 * sees the raw line, before the trimming. Jetty refuses NUL, CR, LF, DEL and the other C0 controls
 * in any header by itself.
 *
 * <p>It reads each header line of a request as Jetty's parser consumes it (never the body), keeping
 * at most the current unfinished line, which Jetty's header size limit bounds.
 */
final class CredentialHeaderGuard extends HttpConnectionFactory {
  CredentialHeaderGuard(HttpConfiguration configuration) {
    super(configuration);
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    HttpConnection connection =
        new HttpConnection(getHttpConfiguration(), connector, endPoint) {
          @Override
          protected HttpParser newHttpParser(HttpCompliance compliance) {
            HttpParser plain = super.newHttpParser(compliance);
            GuardedParser guarded =
                new GuardedParser(
                    (HttpParser.RequestHandler) plain.getHandler(),
                    getHttpConfiguration().getRequestHeaderSize(),
                    compliance);
            guarded.setHeaderCacheSize(plain.getHeaderCacheSize());
            guarded.setHeaderCacheCaseSensitive(plain.isHeaderCacheCaseSensitive());
            return guarded;
          }
        };
    connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
    return configure(connection, connector, endPoint);
  }

  /** Whether the header line {@code line} (without its line end) is a credential with a tab. */
  static boolean credentialWithTab(String line) {
    int colon = line.indexOf(':');
    if (colon < 0 || line.indexOf('\t', colon) < 0) {
      return false;
    }
    String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    return name.equals("x-api-user") || name.equals("x-api-token");
  }

  private static final class GuardedParser extends HttpParser {
    /** The bytes of the current header line that the parser has consumed already. */
    private final StringBuilder partial = new StringBuilder();

    GuardedParser(
        HttpParser.RequestHandler handler, int maxHeaderBytes, HttpCompliance compliance) {
      super(handler, maxHeaderBytes, compliance);
    }

    @Override
    protected boolean parseFields(ByteBuffer buffer) {
      check(buffer);
      int from = buffer.position();
      boolean done = super.parseFields(buffer);
      if (!inHeaderState()) {
        partial.setLength(0);
      } else {
        for (int i = from; i < buffer.position(); i++) {
          char c = (char) (buffer.get(i) & 0xff);
          if (c == '\n') {
            partial.setLength(0);
          } else {
            partial.append(c);
          }
        }
      }
      return done;
    }

    /** Checks every whole header line in what the parser is about to read, up to the blank one. */
    private void check(ByteBuffer buffer) {
      StringBuilder line = new StringBuilder(partial);
      for (int i = buffer.position(); i < buffer.limit(); i++) {
        char c = (char) (buffer.get(i) & 0xff);
        if (c != '\n') {
          line.append(c);
          continue;
        }
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? 1 : 0;
        String text = line.substring(0, line.length() - end);
        if (text.isEmpty()) {
          return; // the end of the headers: what follows is the body
        }
        if (credentialWithTab(text)) {
          throw new HttpException.RuntimeException(
              400, "a tab in the x-api-user or x-api-token header");
        }
        line.setLength(0);
      }
    }
  }
}
