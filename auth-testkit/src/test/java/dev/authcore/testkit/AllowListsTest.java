package dev.authcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.authcore.net.AllowListException;
import dev.authcore.net.AllowListProblem;
import dev.authcore.net.IpAllowList;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The allow-list generators against auth-core's strict parser and matcher. */
class AllowListsTest {
  private static final long SEED = Seeds.seed("AllowListsTest");
  private final RandomGenerator random = Seeds.random(SEED);

  @Test
  void valid_parsesAndMatchesLikeTheOracle() {
    for (int i = 0; i < 300; i++) {
      AllowLists.Valid list = AllowLists.valid(random, 8);
      IpAllowList parsed = IpAllowList.parse(list.text());
      String why = list.text().replace("\n", " | ") + "; " + Seeds.replayHint(SEED);
      assertThat(parsed.isEmpty()).as(why).isFalse();
      List<InetAddress> probes = new ArrayList<>();
      for (Addresses.Block block : list.entries()) {
        probes.add(block.first());
        probes.add(block.last());
        probes.add(block.inside(random));
      }
      for (int k = 0; k < 20; k++) {
        probes.add(Addresses.address(random));
      }
      for (InetAddress probe : probes) {
        assertThat(parsed.allows(probe))
            .as("%s allows %s", why, probe)
            .isEqualTo(list.allows(probe));
      }
    }
  }

  @Test
  void flawed_refusedWithEveryBadLineAndNoOther() {
    for (int i = 0; i < 300; i++) {
      AllowLists.Flawed list = AllowLists.flawed(random, 8);
      String why = list.text().replace("\n", " | ") + "; " + Seeds.replayHint(SEED);
      AllowListException e =
          catchThrowableOfType(AllowListException.class, () -> IpAllowList.parse(list.text()));
      assertThat(e).as("refused: %s", why).isNotNull();
      List<Integer> reported = new ArrayList<>();
      for (AllowListProblem p : e.problems()) {
        reported.add(p.line());
      }
      List<Integer> expected = new ArrayList<>();
      for (AllowLists.BadLine bad : list.badLines()) {
        expected.add(bad.line());
      }
      assertThat(reported).as(why).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void refusedEntries_eachRefusedAlone() {
    for (AllowLists.BadLine bad : AllowLists.refusedEntries()) {
      AllowListException e =
          catchThrowableOfType(AllowListException.class, () -> IpAllowList.parse(bad.text()));
      assertThat(e).as("%s (%s) refused", bad.text(), bad.flaw()).isNotNull();
      assertThat(e.problems()).extracting(AllowListProblem::line).containsExactly(1);
    }
  }
}
