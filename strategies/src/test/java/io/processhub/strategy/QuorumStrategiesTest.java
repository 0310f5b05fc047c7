package io.processhub.strategy;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partition tolerance strategies' verdicts, membership by membership (ProcessHub's scenarios included). */
class QuorumStrategiesTest {
    private static final long T0 = 1_000_000;

    private static List<String> nodes(int n) {
        return List.of("n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11", "n12").subList(0, n);
    }

    private static Quorum staticQuorum(int size, boolean startupConfirm) {
        StaticQuorum s = new StaticQuorum();
        s.setQuorumSize(size);
        s.setStartupConfirm(startupConfirm);
        return s.newQuorum();
    }

    @Test
    void staticQuorumWithStartupConfirmNeedsAtLeastQuorumSizeMembers() {
        Quorum q = staticQuorum(3, true);
        assertFalse(q.hasQuorum(nodes(1), T0), "starting alone below quorum: partitioned from the start");
        assertFalse(q.hasQuorum(nodes(2), T0), "still below");
        assertTrue(q.hasQuorum(nodes(3), T0));
        assertTrue(q.hasQuorum(nodes(4), T0));
        assertFalse(q.hasQuorum(nodes(2), T0));
        assertFalse(q.hasQuorum(List.of(), T0));
        assertThrows(UnsupportedOperationException.class, () -> q.resetClusterSize(2), "a static quorum has no size to reset");
    }

    @Test
    void staticQuorumWithoutStartupConfirmIsLostOnlyByLosingMembers() {
        // ProcessHub's default: the verdict is taken on a node leaving, never at start.
        Quorum q = staticQuorum(3, false);
        assertTrue(q.hasQuorum(nodes(1), T0), "starting alone below quorum runs children");
        assertTrue(q.hasQuorum(nodes(2), T0), "growing below quorum keeps them running");
        assertFalse(q.hasQuorum(nodes(1), T0), "losing a member below quorum takes it away");
        assertFalse(q.hasQuorum(nodes(2), T0), "growing again below the quorum size does not give it back");
        assertTrue(q.hasQuorum(nodes(3), T0), "reaching the quorum size does");
        assertTrue(q.hasQuorum(nodes(4), T0));
        assertTrue(q.hasQuorum(nodes(3), T0), "losing a member at or above the quorum size keeps it");
        assertFalse(q.hasQuorum(nodes(2), T0), "dropping below it loses it");
        assertThrows(UnsupportedOperationException.class, () -> q.resetClusterSize(2), "a static quorum has no size to reset");
    }

    @Test
    void staticQuorumStartsWithoutStartupConfirmAsProcessHubDoes() {
        assertFalse(new StaticQuorum().isStartupConfirm(), "ProcessHub's default: startup_confirm false");
    }

    @Test
    void divergenceAlwaysHasQuorum() {
        assertTrue(new Divergence().newQuorum().hasQuorum(List.of(), T0));
    }

    @Test
    void majorityRemembersTheLargestClusterSeen() {
        Quorum q = new MajorityQuorum().newQuorum();
        assertTrue(q.hasQuorum(nodes(1), T0), "one node alone is the whole cluster");
        assertTrue(q.hasQuorum(nodes(5), T0));
        assertTrue(q.hasQuorum(nodes(3), T0), "3 of 5");
        assertFalse(q.hasQuorum(nodes(2), T0), "2 of 5");
        assertTrue(q.hasQuorum(nodes(3), T0), "back to 3 of 5");
    }

    @Test
    void majorityThresholdsForEvenAndOddSizes() {
        for (int largest = 1; largest <= 6; largest++) {
            Quorum q = new MajorityQuorum().setInitialClusterSize(largest).newQuorum();
            int needed = largest / 2 + 1;
            assertTrue(q.hasQuorum(nodes(needed), T0), needed + " of " + largest);
            if (needed > 1)
                assertFalse(q.hasQuorum(nodes(needed - 1), T0), (needed - 1) + " of " + largest);
        }
    }

    @Test
    void majorityWithoutTrackingKeepsTheSizeSeenAtStart() {
        Quorum q = new MajorityQuorum().setTrackMaxSize(false).newQuorum();
        assertTrue(q.hasQuorum(nodes(3), T0), "the first membership sets the size: 3");
        assertTrue(q.hasQuorum(nodes(10), T0), "growth is not tracked");
        assertTrue(q.hasQuorum(nodes(2), T0), "2 of 3 is still a majority");
        assertFalse(q.hasQuorum(nodes(1), T0));
    }

    @Test
    void majorityInitialSizeAboveTheMembersSeen() {
        Quorum q = new MajorityQuorum().setInitialClusterSize(5).newQuorum();
        assertFalse(q.hasQuorum(nodes(1), T0), "1 of an intended 5");
        assertTrue(q.hasQuorum(nodes(3), T0));
    }

    @Test
    void majorityResetLetsAClusterShrinkOnPurpose() {
        Quorum q = new MajorityQuorum().newQuorum();
        assertTrue(q.hasQuorum(nodes(6), T0));
        assertFalse(q.hasQuorum(nodes(3), T0), "3 of 6 is not a majority");
        q.resetClusterSize(3);
        assertTrue(q.hasQuorum(nodes(3), T0), "3 of a cluster reset to 3");
        assertFalse(q.hasQuorum(nodes(1), T0));
        assertThrows(IllegalArgumentException.class, () -> q.resetClusterSize(0));
    }

    @Test
    void dynamicQuorumCountsRecentLossesOnly() {
        // ProcessHub's scenario: 80 %, members 10 → 9 → 8 keep quorum, 7 loses it.
        Quorum q = new DynamicQuorum().setQuorumSize(80).setThresholdTimeSeconds(3600).newQuorum();
        assertTrue(q.hasQuorum(nodes(10), T0));
        assertTrue(q.hasQuorum(nodes(9), T0 + 1000), "90 %");
        assertTrue(q.hasQuorum(nodes(8), T0 + 2000), "80 %");
        assertFalse(q.hasQuorum(nodes(7), T0 + 3000), "70 %");
        assertTrue(q.hasQuorum(nodes(8), T0 + 4000), "a member came back: 80 %");
    }

    @Test
    void dynamicQuorumForgetsLossesOlderThanTheThreshold() {
        Quorum fast = new DynamicQuorum().setQuorumSize(70).setThresholdTimeSeconds(30).newQuorum();
        assertTrue(fast.hasQuorum(nodes(5), T0));
        assertTrue(fast.hasQuorum(nodes(4), T0), "4 of 5");
        assertFalse(fast.hasQuorum(nodes(3), T0 + 1_000), "3 of 5 within the threshold");

        Quorum slow = new DynamicQuorum().setQuorumSize(70).setThresholdTimeSeconds(30).newQuorum();
        assertTrue(slow.hasQuorum(nodes(5), T0));
        assertTrue(slow.hasQuorum(nodes(4), T0), "4 of 5");
        assertTrue(slow.hasQuorum(nodes(3), T0 + 31_000), "the first loss is forgotten: 3 of 4");
        assertFalse(slow.hasQuorum(nodes(2), T0 + 32_000), "2 of 4 within the threshold");
    }

    @Test
    void invalidSettingsNameTheSetting() {
        StaticQuorum s = new StaticQuorum();
        s.setQuorumSize(0);
        assertEquals("StaticQuorum.quorumSize", assertThrows(InvalidStrategyException.class, s::validate).setting());
        assertEquals("MajorityQuorum.initialClusterSize",
            assertThrows(InvalidStrategyException.class, new MajorityQuorum().setInitialClusterSize(0)::validate).setting());
        assertEquals("DynamicQuorum.quorumSize",
            assertThrows(InvalidStrategyException.class, new DynamicQuorum().setQuorumSize(101)::validate).setting());
        assertEquals("DynamicQuorum.thresholdTimeSeconds",
            assertThrows(InvalidStrategyException.class, new DynamicQuorum().setThresholdTimeSeconds(0)::validate).setting());
        assertEquals("DynamicQuorum.thresholdTimeSeconds", assertThrows(InvalidStrategyException.class,
            new DynamicQuorum().setThresholdTimeSeconds(Long.MAX_VALUE)::validate, "a 'forever' threshold would overflow").setting());
    }
}
