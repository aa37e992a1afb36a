package io.dicomflow.cli.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StompFrameTest {

    @Test
    void connectFrameIsWrittenWithoutEscapingAndNulTerminated() {
        StompFrame connect = StompFrame.of("CONNECT", "accept-version", "1.2", "host", "127.0.0.1",
                "Authorization", "Bearer a.b:c");
        assertThat(connect.encode()).isEqualTo(
                "CONNECT\naccept-version:1.2\nhost:127.0.0.1\nAuthorization:Bearer a.b:c\n\n\0");
    }

    @Test
    void headersOfOtherFramesAreEscapedAndRoundTrip() {
        StompFrame subscribe = StompFrame.of("SUBSCRIBE", "id", "sub-0", "destination", "/user/queue/a:b\\c\nd\re");
        String wire = subscribe.encode();
        assertThat(wire).isEqualTo("SUBSCRIBE\nid:sub-0\ndestination:/user/queue/a\\cb\\\\c\\nd\\re\n\n\0");
        assertThat(StompFrame.decodeAll(wire)).containsExactly(subscribe);
    }

    @Test
    void messageAsSpringSendsItDecodesToHeadersAndBody() {
        String body = "{\"eventId\":\"e1\",\"type\":\"AnalysisCompleted\",\"payload\":{\"fileId\":\"f1\",\"dataSize\":4}}";
        String wire = "MESSAGE\ndestination:/user/queue/analyses\ncontent-type:application/json\nsubscription:sub-0\n"
                + "message-id:abc-1\nevent-type:AnalysisCompleted\ncontent-length:" + body.length() + "\n\n" + body + "\0";
        List<StompFrame> frames = StompFrame.decodeAll(wire);
        assertThat(frames).hasSize(1);
        StompFrame frame = frames.get(0);
        assertThat(frame.command()).isEqualTo("MESSAGE");
        assertThat(frame.header("subscription")).isEqualTo("sub-0");
        assertThat(frame.header("event-type")).isEqualTo("AnalysisCompleted");
        assertThat(frame.body()).isEqualTo(body);
    }

    @Test
    void connectedFrameValuesKeepTheirColonsAndBackslashes() {
        StompFrame connected = StompFrame.decodeAll("CONNECTED\nversion:1.2\nheart-beat:0,0\nuser-name:a\\b:c\n\n\0").get(0);
        assertThat(connected.headers()).containsExactly(Map.entry("version", "1.2"), Map.entry("heart-beat", "0,0"),
                Map.entry("user-name", "a\\b:c"));
    }

    @Test
    void heartBeatsCrLfAndSeveralFramesInOneMessage() {
        assertThat(StompFrame.decodeAll("\n")).isEmpty();
        assertThat(StompFrame.decodeAll("\r\n\n")).isEmpty();
        List<StompFrame> frames = StompFrame.decodeAll("\nRECEIPT\r\nreceipt-id:7\r\n\r\n\0\nERROR\nmessage:bad token\n\nno\0\n");
        assertThat(frames).extracting(StompFrame::command).containsExactly("RECEIPT", "ERROR");
        assertThat(frames.get(0).header("receipt-id")).isEqualTo("7");
        assertThat(frames.get(1).header("message")).isEqualTo("bad token");
        assertThat(frames.get(1).body()).isEqualTo("no");
    }

    @Test
    void firstOfRepeatedHeadersWinsAndFrameWithoutHeaders() {
        StompFrame frame = StompFrame.decodeAll("MESSAGE\nfoo:1\nfoo:2\n\n\0").get(0);
        assertThat(frame.header("foo")).isEqualTo("1");
        assertThat(StompFrame.decodeAll("DISCONNECT\n\n\0").get(0)).isEqualTo(StompFrame.of("DISCONNECT"));
        assertThat(StompFrame.decodeAll("DISCONNECT\0").get(0).command()).isEqualTo("DISCONNECT");
    }

    @Test
    void malformedTextIsRefused() {
        assertThatThrownBy(() -> StompFrame.decodeAll("MESSAGE\n\nno terminator")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StompFrame.decodeAll("{\"json\":1}\0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StompFrame.decodeAll("MESSAGE\nno-colon\n\n\0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StompFrame.decodeAll("MESSAGE\na:b\\t\n\n\0")).isInstanceOf(IllegalArgumentException.class);
    }
}
