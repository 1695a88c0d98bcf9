package dev.authcore.benchmarks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementLogTest {
  @TempDir Path dir;

  private static final String FEED_READ =
      "SELECT seq, kind, token_id, corp, origin FROM authcore_changes WHERE seq > $1 ORDER BY seq"
          + " LIMIT $2";
  private static final String FIND =
      "SELECT id, corp, owner_email, name FROM authcore_tokens WHERE id = $1";
  private static final String USAGE =
      "UPDATE authcore_tokens SET last_used = $1, recent_ips = $2 WHERE id = $3";

  @Test
  void count_windowOfTwoNodes_countsEachNodesStatementsByKindWithTheFeedApart() throws IOException {
    String before =
        String.join(
                "\n",
                "node1|a.1|LOG:  execute <unnamed>: LISTEN \"authcore_changes\"",
                "node2|b.1|LOG:  execute <unnamed>: LISTEN \"authcore_changes\"",
                "node1|a.2|LOG:  execute S_1: " + FIND,
                "")
            + "\n";
    String window =
        String.join(
                "\n",
                "node1|a.1|LOG:  execute S_1: " + FEED_READ,
                "node1|a.2|LOG:  execute S_2: " + FIND,
                "node1|a.2|LOG:  statement: BEGIN",
                "node1|a.2|LOG:  execute <unnamed>: " + USAGE,
                "node1|a.2|LOG:  execute <unnamed>: " + USAGE,
                "node1|a.2|LOG:  execute S_4: COMMIT",
                "node1|a.2|LOG:  statement: ",
                "node2|b.1|LOG:  execute S_1: " + FEED_READ,
                "node2|b.2|LOG:  execute <unnamed>: " + FIND,
                "|c.9|LOG:  statement: SELECT 1",
                "node2|b.2|LOG:  checkpoint starting: time",
                "\tAND continued line of a statement",
                "")
            + "\n";
    Path file = dir.resolve("server.log");
    Files.writeString(file, before + window, StandardCharsets.UTF_8);
    long from = before.getBytes(StandardCharsets.UTF_8).length;

    Map<String, StatementLog.Counts> counts = new StatementLog(file).count(from, Files.size(file));

    assertThat(counts).containsOnlyKeys("node1", "node2");
    StatementLog.Counts node1 = Objects.requireNonNull(counts.get("node1"));
    assertThat(node1.total).isEqualTo(7);
    assertThat(node1.queries).isEqualTo(4);
    assertThat(node1.feed).isEqualTo(1);
    assertThat(node1.byKind)
        .containsEntry("feed: SELECT authcore_changes", 1L)
        .containsEntry("SELECT authcore_tokens (one token by id)", 1L)
        .containsEntry("UPDATE authcore_tokens (usage: one token)", 2L)
        .containsEntry("BEGIN", 1L)
        .containsEntry("COMMIT", 1L)
        .containsEntry("(empty: pool's connection check)", 1L);
    StatementLog.Counts node2 = Objects.requireNonNull(counts.get("node2"));
    assertThat(node2.total).isEqualTo(2);
    assertThat(node2.feed).isEqualTo(1);
  }

  @Test
  void count_windowEndingEarly_leavesOutWhatCameAfter() throws IOException {
    String first = "node1|a.2|LOG:  execute S_2: " + FIND + "\n";
    String second = "node1|a.2|LOG:  execute S_2: " + FIND + "\n";
    Path file = dir.resolve("server.log");
    Files.writeString(file, first + second, StandardCharsets.UTF_8);

    Map<String, StatementLog.Counts> counts =
        new StatementLog(file).count(0, first.getBytes(StandardCharsets.UTF_8).length);

    assertThat(Objects.requireNonNull(counts.get("node1")).total).isEqualTo(1);
  }

  @Test
  void kind_storeStatements_namedByVerbTableAndPurpose() {
    assertThat(
            StatementLog.kind(
                "SELECT id, last_used, recent_ips FROM authcore_tokens WHERE id = ANY ($1) ORDER BY"
                    + " id FOR UPDATE"))
        .isEqualTo("SELECT authcore_tokens (usage: lock batch)");
    assertThat(
            StatementLog.kind(
                "WITH tick AS (UPDATE authcore_change_clock SET seq = seq + 1 WHERE id = 1"
                    + " RETURNING seq) SELECT seq, pg_notify($5, seq::text) FROM change"))
        .isEqualTo("record change + pg_notify");
    assertThat(StatementLog.kind("SELECT 1")).isEqualTo("SELECT 1 (liveness check)");
    assertThat(StatementLog.kind("SHOW TRANSACTION ISOLATION LEVEL"))
        .isEqualTo("SHOW TRANSACTION ISOLATION LEVEL");
    assertThat(StatementLog.isData("SHOW TRANSACTION ISOLATION LEVEL")).isFalse();
    assertThat(StatementLog.isData(USAGE)).isTrue();
  }

  @Test
  void percentile_nearestRank() {
    double[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(ClusterLoad.percentile(values, 50)).isEqualTo(5);
    assertThat(ClusterLoad.percentile(values, 99)).isEqualTo(10);
    assertThat(ClusterLoad.percentile(values, 100)).isEqualTo(10);
    assertThat(ClusterLoad.percentile(new double[] {7}, 1)).isEqualTo(7);
    assertThat(ClusterLoad.percentile(new double[0], 50)).isNaN();
  }
}
