package io.causeway.ike.sa;

import java.util.OptionalLong;

/**
 * When a CHILD_SA is due for its rekey (empty with rekey=no, or while a rekey of it is under way) and when it
 * expires (empty without a lifetime), on the engine's clock. For status displays.
 */
public record ChildSaTimes(OptionalLong rekeyAt, OptionalLong expireAt) {
}
