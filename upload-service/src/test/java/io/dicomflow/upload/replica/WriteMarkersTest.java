package io.dicomflow.upload.replica;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WriteMarkersTest {

	private final WriteMarkers markers = new WriteMarkers();

	@Test
	void keepsTheLatestWriteOfEachCaller() {
		this.markers.wrote("alice", 100);
		this.markers.wrote("alice", 50);
		this.markers.wrote("bob", 7);
		assertThat(this.markers.pending("alice")).contains(100L);
		assertThat(this.markers.pending("bob")).contains(7L);
		assertThat(this.markers.pending("carol")).isEmpty();
	}

	@Test
	void forgetsAMarkerOnceAReplicaIsPastIt() {
		this.markers.wrote("alice", 100);
		this.markers.replayed("alice", 99);
		assertThat(this.markers.pending("alice")).contains(100L);
		this.markers.replayed("alice", 100);
		assertThat(this.markers.pending("alice")).isEmpty();
		assertThat(this.markers.size()).isZero();
	}

	@Test
	void aNewerWriteSurvivesTheReplayOfAnOlderOne() {
		this.markers.wrote("alice", 100);
		this.markers.wrote("alice", 200);
		this.markers.replayed("alice", 150);
		assertThat(this.markers.pending("alice")).contains(200L);
	}

}
