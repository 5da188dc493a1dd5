package io.causeway.daemon.testing;

import io.causeway.daemon.control.Json;
import java.util.List;
import java.util.Map;

/**
  * One tunnel of {@code status --json}: {@code {"tunnels":[{..., "children":[{...}], "drops":{...}}]}}.
  * The static tunnel has exactly one tunnel with one child; anything else fails loudly.
  */
public record TunnelStatus(Map<String, Object> tunnel) {

    /** Reads the first (only) tunnel of a status response or of {@code status --json} output. */
    public static TunnelStatus of(Map<String, Object> response) {
        Object tunnels = response.get("tunnels");
        if (!(tunnels instanceof List<?> list) || list.size() != 1 || !(list.get(0) instanceof Map<?, ?>)) {
            throw new AssertionError("expected exactly one tunnel in status: " + Json.write(response));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tunnel = (Map<String, Object>) list.get(0);
        return new TunnelStatus(tunnel);
    }

    public static TunnelStatus parse(String json) {
        return of(Json.parseObject(json.strip()));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> child() {
        Object children = tunnel.get("children");
        if (!(children instanceof List<?> list) || list.size() != 1 || !(list.get(0) instanceof Map<?, ?>)) {
            throw new AssertionError("expected exactly one child SA in status: " + this);
        }
        return (Map<String, Object>) list.get(0);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> drops() {
        Object drops = tunnel.get("drops");
        if (!(drops instanceof Map<?, ?>)) {
            throw new AssertionError("no drops object in status: " + this);
        }
        return (Map<String, Object>) drops;
    }

    /** An offload counter of the static-key fixture: super_packets, split_packets, gso_sends, coalesced,
      * raw_batch_sends, raw_batch_receives. */
    @SuppressWarnings("unchecked")
    public long offload(String key) {
        Object offload = tunnel.get("offload");
        if (!(offload instanceof Map<?, ?>)) {
            throw new AssertionError("no offload object in status: " + this);
        }
        return number((Map<String, Object>) offload, key);
    }

    /** A numeric field of the child SA: packets_in, packets_out, bytes_in, bytes_out, inner_mtu. */
    public long childCounter(String key) {
        return number(child(), key);
    }

    /** A drop counter: no_policy, no_sa, malformed, replay, auth_failed, selector, too_big, ... */
    public long drop(String key) {
        return number(drops(), key);
    }

    public long packetsIn() {
        return childCounter("packets_in");
    }

    public long packetsOut() {
        return childCounter("packets_out");
    }

    public long bytesIn() {
        return childCounter("bytes_in");
    }

    public long bytesOut() {
        return childCounter("bytes_out");
    }

    public int innerMtu() {
        return Math.toIntExact(childCounter("inner_mtu"));
    }

    private long number(Map<String, Object> map, String key) {
        if (!(map.get(key) instanceof Number n)) {
            throw new AssertionError("no number " + key + " in status: " + this);
        }
        return n.longValue();
    }

    @Override
    public String toString() {
        return Json.write(tunnel);
    }
}
