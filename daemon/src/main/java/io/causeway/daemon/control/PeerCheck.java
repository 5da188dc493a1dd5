package io.causeway.daemon.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.List;

/**
 * Who may send requests, by the credentials the kernel gives for the connecting process (SO_PEERCRED): root, the
 * socket's owner (the daemon's own user) and members of the socket's group. The socket's mode 0660 already keeps
 * everyone else from connecting; this holds when that mode was changed, or the socket's directory was shared.
 * SO_PEERCRED carries only the primary group, so membership through a supplementary group is read from
 * /etc/group, as getgrouplist would find it for local accounts.
 */
final class PeerCheck {
    private final UserPrincipal owner;
    private final GroupPrincipal group;
    private final List<String> groupMembers;

    PeerCheck(UserPrincipal owner, GroupPrincipal group, List<String> groupMembers) {
        this.owner = owner;
        this.group = group;
        this.groupMembers = groupMembers;
    }

    /** For the socket at path, with /etc/group's members of its group. */
    static PeerCheck of(Path socket, Path etcGroup) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(socket, PosixFileAttributes.class);
        return new PeerCheck(attributes.owner(), attributes.group(), members(etcGroup, attributes.group().getName()));
    }

    /** The members /etc/group lists for group name ("name:x:gid:alice,bob"); none if the file cannot be read. */
    static List<String> members(Path etcGroup, String name) {
        try {
            for (String line : Files.readAllLines(etcGroup)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 4 && fields[0].equals(name) && !fields[3].isBlank()) {
                    return Arrays.stream(fields[3].split(",")).map(String::trim).toList();
                }
            }
        } catch (IOException e) {
            // unreadable: the primary group and the owner still count
        }
        return List.of();
    }

    boolean allows(UserPrincipal user, GroupPrincipal primaryGroup) {
        return "root".equals(user.getName()) || user.equals(owner) || primaryGroup.equals(group)
                || groupMembers.contains(user.getName());
    }

    String groupName() {
        return group.getName();
    }
}
