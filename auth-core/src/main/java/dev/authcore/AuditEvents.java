package dev.authcore;

import dev.authcore.model.TokenId;
import dev.authcore.net.ClientAddresses;
import dev.authcore.policy.StagedAllowList;
import dev.authcore.policy.TokenSettings;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Audit events as JSON lines, ready for a SIEM: one event per line, written by auth-core itself (no
 * JSON library needed), with field names from the <a
 * href="https://www.elastic.co/guide/en/ecs/current/index.html">Elastic Common Schema</a> (ECS)
 * wherever ECS has one, so Elastic indexes the lines without an ingest pipeline and Splunk's JSON
 * extraction ({@code KV_MODE = json} or {@code INDEXED_EXTRACTIONS = json}) gives the same field
 * names without any mapping work.
 *
 * <h2>The line</h2>
 *
 * A JSON object (RFC 8259) on one line, with flat dotted keys as the ECS logging libraries write
 * them ({@code "event.action":"token-created"}; Elasticsearch expands them to objects). The line is
 * printable ASCII only: {@code "} and {@code \} are escaped, every other character outside
 * U+0020..U+007E (control characters, U+2028 and U+2029, all non-ASCII text) is written as a {@code
 * \}{@code uXXXX} escape, so a line can never be split, whatever a field holds, and reads the same
 * in any charset. A lone surrogate (not Unicode text) is written as U+FFFD, so every line is also
 * valid I-JSON (RFC 7493). Fields without a value are left out, never {@code null}. Fields are
 * written in the order of the table. No event carries a token or a secret, and the encoding adds
 * nothing to what the event holds.
 *
 * <h2>Fields</h2>
 *
 * <table>
 *   <caption>Fields of an audit event line</caption>
 *   <tr><th>Field</th><th>ECS</th><th>Type</th><th>Events</th><th>Value</th></tr>
 *   <tr><td>{@code @timestamp}</td><td>yes</td><td>string</td><td>all</td>
 *       <td>{@link AuditEvent#at()}, ISO-8601 UTC ({@code 2025-03-01T10:15:30.123Z})</td></tr>
 *   <tr><td>{@code ecs.version}</td><td>yes</td><td>string</td><td>all</td>
 *       <td>{@value #ECS_VERSION}</td></tr>
 *   <tr><td>{@code event.kind}</td><td>yes</td><td>string</td><td>all</td>
 *       <td>{@code event}</td></tr>
 *   <tr><td>{@code event.category}</td><td>yes</td><td>array</td><td>all</td>
 *       <td>{@code ["authentication"]} for rejections, new addresses and uses of a previous
 *       secret, {@code ["configuration"]} for settings, {@code ["database"]} for the store's
 *       outages, {@code ["iam"]} otherwise</td></tr>
 *   <tr><td>{@code event.type}</td><td>yes</td><td>array</td><td>all</td>
 *       <td>{@code ["creation"]}, {@code ["deletion"]} (a token deleted or revoked as leaked),
 *       {@code ["start"]} (a rejected
 *       verification), {@code ["info"]} (a new address, a previous secret's use, a request a
 *       staged allow list would refuse, an outage's end, an expiry notice), {@code ["error"]} (an
 *       outage's start) or {@code ["change"]} (a rotation, settings, a token's allow list, a
 *       permission)</td></tr>
 *   <tr><td>{@code event.action}</td><td>yes</td><td>string</td><td>all</td>
 *       <td>{@code token-created}, {@code token-deleted}, {@code token-rotated}, {@code
 *       token-leaked}, {@code token-rejected}, {@code token-used-from-new-ip}, {@code
 *       token-would-be-blocked}, {@code token-previous-secret-used}, {@code settings-changed},
 *       {@code token-allow-list-changed}, {@code permission-changed}, {@code permission-expired},
 *       {@code store-outage-started}, {@code store-outage-ended}, {@code
 *       token-expiring-soon} or {@code token-expired}</td></tr>
 *   <tr><td>{@code event.outcome}</td><td>yes</td><td>string</td><td>all</td>
 *       <td>{@code failure} for a rejection and an outage's start, else {@code success}</td></tr>
 *   <tr><td>{@code event.reason}</td><td>yes</td><td>string</td><td>rejected</td>
 *       <td>the {@link RejectionReason} name, such as {@code EXPIRED}</td></tr>
 *   <tr><td>{@code organization.id}</td><td>yes</td><td>string</td><td>all but outages (rejected: when
 *       known)</td><td>the corp</td></tr>
 *   <tr><td>{@code user.name}</td><td>yes</td><td>string</td><td>all but outages, leaks,
 *       expiry notices and ended grants</td>
 *       <td>who acted: the actor; for a rejection the claimed user (as received, escaped,
 *       unverified); for a new address, a previous secret's use and a request a staged list
 *       would refuse the token's owner; absent for a leak, whose reporter showed no credentials,
 *       and for an expiry notice and a grant's end, which the deployment's schedule sent</td></tr>
 *   <tr><td>{@code user.target.name}</td><td>yes</td><td>string</td><td>deleted, rotated, leaked,
 *       token allow list, permission, permission expired, expiry notices</td><td>whom it was done
 *       to or concerns: the token's owner, the user whose permission changed or whose grant
 *       ended</td></tr>
 *   <tr><td>{@code source.address}</td><td>yes</td><td>string</td><td>rejected, new
 *       address, previous secret used</td><td>the client address as the event holds it,
 *       {@code unknown} included</td></tr>
 *   <tr><td>{@code source.ip}</td><td>yes</td><td>string (ip)</td><td>rejected, new
 *       address, previous secret used</td><td>the same, only when it is an IP address (so an
 *       {@code ip} mapping never refuses the document)</td></tr>
 *   <tr><td>{@code authcore.token.id}</td><td>no</td><td>string</td><td>token events (rejected:
 *       when well-formed)</td><td>the {@link TokenId}</td></tr>
 *   <tr><td>{@code authcore.token.name}</td><td>no</td><td>string</td><td>created, deleted,
 *       rotated, token allow list, leaked, previous secret used, expiry notices</td><td>the token's name</td></tr>
 *   <tr><td>{@code authcore.token.expires}</td><td>no</td><td>string</td><td>created, expiry
 *       notices</td><td>ISO-8601: for a creation the token's own expiry, when it has one; for an
 *       expiry notice the effective expiry it announces (passed, for {@code
 *       token-expired})</td></tr>
 *   <tr><td>{@code authcore.token.previous_valid_until}</td><td>no</td><td>string</td>
 *       <td>rotated</td><td>until when the previous secret keeps working (exclusive), ISO-8601;
 *       absent when the rotation gave no grace period</td></tr>
 *   <tr><td>{@code authcore.token.allowed_ips}</td><td>no</td><td>array</td><td>token allow
 *       list</td><td>the token's own list's canonical entries now; {@code []} when it was
 *       removed</td></tr>
 *   <tr><td>{@code authcore.refused_by}</td><td>no</td><td>string</td><td>rejected</td>
 *       <td>for {@code IP_NOT_ALLOWED}, the allow list that refused: {@code corp} or {@code
 *       token} (the token's own)</td></tr>
 *   <tr><td>{@code authcore.notice.threshold}</td><td>no</td><td>string</td><td>expiring
 *       soon</td><td>how long before the expiry the notice fell due, ISO-8601 ({@code P7D} or
 *       {@code P1D})</td></tr>
 *   <tr><td>{@code authcore.leak.source}</td><td>no</td><td>string</td><td>leaked</td>
 *       <td>where the reporter said the text was found (secrets in it redacted), when it was
 *       said</td></tr>
 *   <tr><td>{@code authcore.settings.before.expiry_days}, {@code
 *       authcore.settings.after.expiry_days}</td><td>no</td><td>number</td><td>settings</td>
 *       <td>maximum age in days; absent for no expiry</td></tr>
 *   <tr><td>{@code authcore.settings.before.inactive_days}, {@code
 *       authcore.settings.after.inactive_days}</td><td>no</td><td>number</td><td>settings</td>
 *       <td>days unused after which tokens expire; absent for none</td></tr>
 *   <tr><td>{@code authcore.settings.before.restricted}, {@code
 *       authcore.settings.after.restricted}</td><td>no</td><td>boolean</td><td>settings</td>
 *       <td>whether only permitted users may have tokens</td></tr>
 *   <tr><td>{@code authcore.settings.before.allowed_ips}, {@code
 *       authcore.settings.after.allowed_ips}</td><td>no</td><td>array</td><td>settings</td>
 *       <td>the allow list's canonical entries; {@code []} for no restriction</td></tr>
 *   <tr><td>{@code authcore.settings.before.staged_allowed_ips}, {@code
 *       authcore.settings.after.staged_allowed_ips}</td><td>no</td><td>array</td><td>settings</td>
 *       <td>the canonical entries of the list staged in report-only mode; absent when none is
 *       staged</td></tr>
 *   <tr><td>{@code authcore.settings.before.staged_since}, {@code
 *       authcore.settings.after.staged_since}</td><td>no</td><td>string</td><td>settings</td>
 *       <td>when that list was staged, ISO-8601; absent when none is staged</td></tr>
 *   <tr><td>{@code authcore.staged.since}</td><td>no</td><td>string</td><td>would be
 *       blocked</td><td>when the staged list that would refuse the request was staged,
 *       ISO-8601</td></tr>
 *   <tr><td>{@code authcore.outage.grace}</td><td>no</td><td>string</td><td>outage started</td>
 *       <td>how long cached tokens are served past the cache bound, ISO-8601 ({@code PT5M})</td></tr>
 *   <tr><td>{@code authcore.outage.since}</td><td>no</td><td>string</td><td>outage ended</td>
 *       <td>when the outage began, ISO-8601</td></tr>
 *   <tr><td>{@code authcore.permission.before}, {@code authcore.permission.after}</td>
 *       <td>no</td><td>boolean</td><td>permission</td><td>whether the user held the token
 *       permission</td></tr>
 *   <tr><td>{@code authcore.permission.until}</td><td>no</td><td>string</td><td>permission,
 *       permission expired</td><td>the end of the grant (exclusive), ISO-8601; absent for a grant
 *       without an end and for a revocation</td></tr>
 * </table>
 *
 * <p>Fields ECS does not define live under {@code authcore.}, in ECS's snake_case, as ECS asks of
 * custom fields. Adding a field or an event type is a compatible change; renaming or removing one
 * is not.
 *
 * <p>Thread-safe and stateless. The encoding runs on the thread that calls it: for a listener that
 * must not slow requests, wrap it in {@link AsyncAuditListener}.
 */
public final class AuditEvents {
  /** The ECS version whose field definitions the lines follow. */
  public static final String ECS_VERSION = "8.11.0";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private AuditEvents() {}

  /**
   * The event as one JSON line, without a line terminator; see the class documentation for the
   * fields and the escaping.
   *
   * @throws NullPointerException if {@code event} is null
   */
  public static String toJsonLine(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    Line line = new Line();
    line.string("@timestamp", event.at().toString());
    line.string("ecs.version", ECS_VERSION);
    line.string("event.kind", "event");
    if (event instanceof AuditEvent.TokenCreated e) {
      line.header("iam", "creation", "token-created", "success");
      line.string("organization.id", e.corp());
      line.string("user.name", e.actor());
      line.string("authcore.token.id", e.tokenId().toString());
      line.string("authcore.token.name", e.tokenName());
      line.instant("authcore.token.expires", e.expiresAt());
    } else if (event instanceof AuditEvent.TokenDeleted e) {
      line.header("iam", "deletion", "token-deleted", "success");
      line.string("organization.id", e.corp());
      line.string("user.name", e.actor());
      line.string("user.target.name", e.tokenOwner());
      line.string("authcore.token.id", e.tokenId().toString());
      line.string("authcore.token.name", e.tokenName());
    } else if (event instanceof AuditEvent.TokenRotated e) {
      line.header("iam", "change", "token-rotated", "success");
      line.string("organization.id", e.corp());
      line.string("user.name", e.actor());
      line.string("user.target.name", e.tokenOwner());
      line.string("authcore.token.id", e.tokenId().toString());
      line.string("authcore.token.name", e.tokenName());
      line.instant("authcore.token.previous_valid_until", e.previousValidUntil());
    } else if (event instanceof AuditEvent.PreviousSecretUsed e) {
      line.header("authentication", "info", "token-previous-secret-used", "success");
      line.string("organization.id", e.corp());
      line.string("user.name", e.tokenOwner());
      line.source(e.clientIp());
      line.string("authcore.token.id", e.tokenId().toString());
      line.string("authcore.token.name", e.tokenName());
    } else if (event instanceof AuditEvent.TokenLeaked e) {
      line.header("iam", "deletion", "token-leaked", "success");
      line.string("organization.id", e.corp());
      line.string("user.target.name", e.tokenOwner());
      line.string("authcore.token.id", e.tokenId().toString());
      line.string("authcore.token.name", e.tokenName());
      line.string("authcore.leak.source", e.source());
    } else if (event instanceof AuditEvent.TokenRejected e) {
      line.header("authentication", "start", "token-rejected", "failure");
      line.string("event.reason", e.reason().name());
      line.string("organization.id", e.corp());
      line.string("user.name", e.claimedUser());
      line.source(e.clientIp());
      TokenId id = e.tokenId();
      line.string("authcore.token.id", id == null ? null : id.toString());
      line.string("authcore.refused_by", e.refusedBy());
    } else if (event instanceof AuditEvent.TokenAllowListChanged e) {
      line.header("configuration", "change", "token-allow-list-changed", "success");
      line.string("organization.id", e.corp());
      line.string("user.name", e.actor());
      line.string("user.target.name", e.tokenOwner());
      line.string("authcore.token.id", e.tokenId().toString());
      line.string("authcore.token.name", e.tokenName());
      line.ipList("authcore.token.allowed_ips", e.allowedIps());
    } else if (event instanceof AuditEvent.TokenUsedFromNewIp e) {
      line.header("authentication", "info", "token-used-from-new-ip", "success");
      line.string("organization.id", e.corp());
      line.string("user.name", e.tokenOwner());
      line.source(e.clientIp());
      line.string("authcore.token.id", e.tokenId().toString());
    } else if (event instanceof AuditEvent.WouldBeBlocked e) {
      line.header("authentication", "info", "token-would-be-blocked", "success");
      line.string("organization.id", e.corp());
      line.string("user.name", e.tokenOwner());
      line.source(e.clientIp());
      line.string("authcore.token.id", e.tokenId().toString());
      line.instant("authcore.staged.since", e.stagedSince());
    } else if (event instanceof AuditEvent.SettingsChanged e) {
      line.header("configuration", "change", "settings-changed", "success");
      line.string("organization.id", e.corp());
      line.string("user.name", e.actor());
      line.settings("authcore.settings.before.", e.before());
      line.settings("authcore.settings.after.", e.after());
    } else if (event instanceof AuditEvent.PermissionChanged e) {
      line.header("iam", "change", "permission-changed", "success");
      line.string("organization.id", e.corp());
      line.string("user.name", e.actor());
      line.string("user.target.name", e.user());
      line.bool("authcore.permission.before", e.before());
      line.bool("authcore.permission.after", e.after());
      line.instant("authcore.permission.until", e.until());
    } else if (event instanceof AuditEvent.PermissionExpired e) {
      line.header("iam", "change", "permission-expired", "success");
      line.string("organization.id", e.corp());
      line.string("user.target.name", e.user());
      line.instant("authcore.permission.until", e.until());
    } else if (event instanceof AuditEvent.OutageStarted e) {
      line.header("database", "error", "store-outage-started", "failure");
      line.string("authcore.outage.grace", e.outageGrace().toString());
    } else if (event instanceof AuditEvent.OutageEnded e) {
      line.header("database", "info", "store-outage-ended", "success");
      line.instant("authcore.outage.since", e.since());
    } else if (event instanceof AuditEvent.TokenExpiringSoon e) {
      line.header("iam", "info", "token-expiring-soon", "success");
      line.string("organization.id", e.corp());
      line.string("user.target.name", e.tokenOwner());
      line.string("authcore.token.id", e.tokenId().toString());
      line.string("authcore.token.name", e.tokenName());
      line.instant("authcore.token.expires", e.expires());
      line.string("authcore.notice.threshold", isoDays(e.threshold()));
    } else if (event instanceof AuditEvent.TokenExpired e) {
      line.header("iam", "info", "token-expired", "success");
      line.string("organization.id", e.corp());
      line.string("user.target.name", e.tokenOwner());
      line.string("authcore.token.id", e.tokenId().toString());
      line.string("authcore.token.name", e.tokenName());
      line.instant("authcore.token.expires", e.expired());
    } else {
      // Unreachable while AuditEvent is sealed and every permitted type is handled above.
      throw new AssertionError("no JSON form for " + event.getClass().getName());
    }
    return line.finish();
  }

  /**
   * A listener that appends each event's {@linkplain #toJsonLine line} and a {@code \n} to {@code
   * out}, then flushes it if it is {@link Flushable}: a file or stream a log shipper tails. Calls
   * are serialised, so lines never interleave. A write failure is thrown as an {@code
   * UncheckedIOException}, which auth-core reports through {@link System.Logger} without failing
   * the operation.
   *
   * <p>It writes on the calling thread, a request thread for rejections: wrap it in {@link
   * AsyncAuditListener#wrap} unless writes to {@code out} are always quick.
   */
  public static AuditListener jsonLinesTo(Appendable out) {
    Objects.requireNonNull(out, "out");
    return new AuditListener() {
      @Override
      public void onEvent(AuditEvent event) {
        String text = toJsonLine(event);
        synchronized (this) {
          try {
            out.append(text).append('\n');
            if (out instanceof Flushable f) {
              f.flush();
            }
          } catch (IOException e) {
            throw new UncheckedIOException("audit JSON line could not be written", e);
          }
        }
      }

      @Override
      public String toString() {
        return "AuditEvents.jsonLinesTo(" + out.getClass().getSimpleName() + ")";
      }
    };
  }

  /** One line under construction. */
  private static final class Line {
    private final StringBuilder sb = new StringBuilder(256).append('{');

    void header(String category, String type, String action, String outcome) {
      name("event.category").append("[\"").append(category).append("\"]");
      name("event.type").append("[\"").append(type).append("\"]");
      string("event.action", action);
      string("event.outcome", outcome);
    }

    void string(String name, @Nullable String value) {
      if (value != null) {
        quote(name(name), value);
      }
    }

    void instant(String name, @Nullable Instant value) {
      if (value != null) {
        string(name, value.toString());
      }
    }

    void bool(String name, boolean value) {
      name(name).append(value);
    }

    void source(String clientIp) {
      string("source.address", clientIp);
      if (isIpAddress(clientIp)) {
        string("source.ip", clientIp);
      }
    }

    void settings(String prefix, TokenSettings settings) {
      settings.expiry().maxAgeDays().ifPresent(days -> name(prefix + "expiry_days").append(days));
      @Nullable Integer inactiveDays = settings.inactiveDays();
      if (inactiveDays != null) {
        name(prefix + "inactive_days").append(inactiveDays.intValue());
      }
      bool(prefix + "restricted", settings.restricted());
      ipList(prefix + "allowed_ips", settings.allowedIps().toText());
      @Nullable StagedAllowList staged = settings.staged();
      if (staged != null) {
        ipList(prefix + "staged_allowed_ips", staged.allowedIps().toText());
        instant(prefix + "staged_since", staged.since());
      }
    }

    /** An allow list's canonical text as an array of its entries. */
    void ipList(String name, String text) {
      StringBuilder array = name(name).append('[');
      int start = 0;
      for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        quote(start == 0 ? array : array.append(','), text.substring(start, end));
        start = end + 1;
      }
      array.append(']');
    }

    private StringBuilder name(String name) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      return quote(sb, name).append(':');
    }

    String finish() {
      return sb.append('}').toString();
    }
  }

  /** {@code P7D} for whole days ({@link Duration#toString()} would say {@code PT168H}). */
  private static String isoDays(Duration duration) {
    return !duration.isNegative() && duration.equals(Duration.ofDays(duration.toDays()))
        ? "P" + duration.toDays() + "D"
        : duration.toString();
  }

  private static boolean isIpAddress(String text) {
    if (text.isEmpty() || text.equals("unknown")) {
      return false; // the usual case of no address: no exception to build
    }
    try {
      ClientAddresses.parse(text);
      return true;
    } catch (IllegalArgumentException notAnAddress) {
      return false;
    }
  }

  /** Appends {@code value} as a JSON string of printable ASCII (RFC 8259 section 7). */
  static StringBuilder quote(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7F) {
        out.append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        unicode(out, c);
        unicode(out, value.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        unicode(out, '\uFFFD'); // a lone surrogate is no character: I-JSON forbids it
      } else {
        unicode(out, c);
      }
    }
    return out.append('"');
  }

  private static void unicode(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
