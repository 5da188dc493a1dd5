package io.causeway.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The IKE and CHILD SAs from {@code swanctl --list-sas}, reduced to names and states. */
public record SwanSas(List<IkeSa> ikeSas) {
    // "s2s: #1, ESTABLISHED, IKEv2, 5f1e3d2ac7bd6e0b_i* 8f2b4bd1b0e0a6f3_r"
    private static final Pattern IKE_LINE = Pattern.compile("^(\\S+): #(\\d+), (\\w+), IKEv(\\d)");
    // "  net: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-128"
    private static final Pattern CHILD_LINE =
            Pattern.compile("^\\s+(\\S+): #(\\d+), reqid (\\d+), (\\w+), ([\\w-]+)(?:, (\\S+))?");

    public record IkeSa(String name, int uniqueId, String state, int version, List<ChildSa> children) {
        public boolean established() {
            return "ESTABLISHED".equals(state);
        }
    }

    public record ChildSa(String name, int uniqueId, String state, String mode, String proposal) {
        public boolean installed() {
            return "INSTALLED".equals(state);
        }
    }

    public static SwanSas parse(String listSasOutput) {
        List<IkeSa> sas = new ArrayList<>();
        String ikeName = null;
        int ikeId = 0;
        String ikeState = null;
        int ikeVersion = 0;
        List<ChildSa> children = new ArrayList<>();
        for (String line : listSasOutput.split("\n")) {
            Matcher ike = IKE_LINE.matcher(line);
            if (ike.find()) {
                if (ikeName != null) {
                    sas.add(new IkeSa(ikeName, ikeId, ikeState, ikeVersion, List.copyOf(children)));
                }
                ikeName = ike.group(1);
                ikeId = Integer.parseInt(ike.group(2));
                ikeState = ike.group(3);
                ikeVersion = Integer.parseInt(ike.group(4));
                children = new ArrayList<>();
                continue;
            }
            Matcher child = CHILD_LINE.matcher(line);
            if (child.find() && ikeName != null) {
                children.add(new ChildSa(child.group(1), Integer.parseInt(child.group(2)), child.group(4),
                        child.group(5), child.group(6) == null ? "" : child.group(6)));
            }
        }
        if (ikeName != null) {
            sas.add(new IkeSa(ikeName, ikeId, ikeState, ikeVersion, List.copyOf(children)));
        }
        return new SwanSas(List.copyOf(sas));
    }

    /** True when some IKE SA is ESTABLISHED and carries an INSTALLED child SA of that name. */
    public boolean established(String childName) {
        return ikeSas.stream().filter(IkeSa::established)
                .flatMap(ike -> ike.children().stream())
                .anyMatch(child -> child.installed() && child.name().equals(childName));
    }

    /** True when some IKE SA is ESTABLISHED with any INSTALLED child SA. */
    public boolean anyEstablished() {
        return ikeSas.stream().filter(IkeSa::established)
                .flatMap(ike -> ike.children().stream())
                .anyMatch(ChildSa::installed);
    }
}
