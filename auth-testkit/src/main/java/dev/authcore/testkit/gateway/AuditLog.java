package dev.authcore.testkit.gateway;

import dev.authcore.AuditEvent;
import dev.authcore.AuditListener;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes every audit event as one JSON line ({@link Json#event}) to standard error or a file. The
 * gateway delivers events through an {@link dev.authcore.AsyncAuditListener}, which calls {@link
 * #flush} whenever its queue runs empty: lines are written in batches under load and at once
 * otherwise, so a SIEM shipper can tail the file. Events never hold a secret, and strings that came
 * from requests are already escaped and redacted by auth-core; the fields that came from requests
 * are redacted once more ({@link Redaction}), so a token sent as the user's email, say, cannot
 * reach the log even from an older library. Thread-safe: lines never interleave. A write failure is
 * reported once on standard error and does not fail the request.
 */
final class AuditLog implements AuditListener, Closeable, Flushable {
  /**
   * The fields that hold what a request sent (a claimed user, a client address, a leak report's
   * source) or a caller chose (a token name): these are redacted. Event types, emails from the
   * users file, ids and instants are written as they are.
   */
  private static final List<String> FROM_REQUESTS =
      List.of("claimedUser", "clientIp", "tokenName", "source");

  private final Writer out;
  private final boolean closeOut;
  private final PrintStream err;
  private boolean failed;

  private AuditLog(Writer out, boolean closeOut, PrintStream err) {
    this.out = out;
    this.closeOut = closeOut;
    this.err = err;
  }

  /** A log on {@code stream}, which is flushed but never closed. */
  static AuditLog to(OutputStream stream, PrintStream err) {
    return new AuditLog(new OutputStreamWriter(stream, StandardCharsets.UTF_8), false, err);
  }

  /**
   * A log appended to {@code file}, created if missing.
   *
   * @throws UsageException if the file cannot be opened
   */
  static AuditLog append(Path file, PrintStream err) {
    try {
      return new AuditLog(
          Files.newBufferedWriter(
              file,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE),
          true,
          err);
    } catch (IOException e) {
      throw new UsageException(
          "--audit-log " + file + ": cannot open it for appending (" + e + ")", e);
    }
  }

  @Override
  public synchronized void onEvent(AuditEvent event) {
    try {
      ObjectNode line = Json.event(event);
      for (String field : FROM_REQUESTS) {
        JsonNode value = line.get(field);
        if (value != null && value.isString()) {
          line.put(field, Redaction.tokens(value.stringValue()));
        }
      }
      out.write(Json.MAPPER.writeValueAsString(line));
      out.write('\n');
    } catch (IOException e) {
      if (!failed) {
        failed = true;
        err.println("audit log: writing failed, events are being lost: " + e);
      }
    }
  }

  /**
   * Writes what is buffered. The gateway's {@link dev.authcore.AsyncAuditListener} calls it each
   * time its queue runs empty, so lines go out in batches under load and at once otherwise.
   */
  @Override
  public synchronized void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      if (!failed) {
        failed = true;
        err.println("audit log: writing failed, events are being lost: " + e);
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closeOut) {
      out.close();
    } else {
      out.flush();
    }
  }
}
