package io.causeway.daemon.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void roundTripsTheStatusShape() {
        Map<String, Object> child = new LinkedHashMap<>();
        child.put("name", "net");
        child.put("local_ts", List.of("10.1.0.0/24"));
        child.put("bytes_in", 12345678901L);
        child.put("encap", true);
        Map<String, Object> tunnel = new LinkedHashMap<>();
        tunnel.put("name", "west \"a\"\n");
        tunnel.put("children", List.of(child));
        tunnel.put("last_error", null);
        String text = Json.write(Map.of("tunnels", List.of(tunnel)));

        assertThat(Json.parse(text)).isEqualTo(Map.of("tunnels", List.of(tunnel)));
        assertThat(text).contains("\"west \\\"a\\\"\\n\"");
    }

    @Test
    void rejectsTruncatedInput() {
        assertThatThrownBy(() -> Json.parse("{\"a\":[1,2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("trailing");
    }
}
