#!/usr/bin/env python3
"""A DNS server for one test: answers A queries for one name with one address after a delay, everything else
(AAAA included) with an empty answer after the same delay, each query on its own thread. Listens on 127.0.0.1:53
of the namespace it runs in; writes one line per answer to stdout.

usage: slow-dns.py NAME ADDRESS DELAY_SECONDS
"""
import socket
import struct
import sys
import threading
import time

name, address, delay = sys.argv[1].lower().rstrip('.'), sys.argv[2], float(sys.argv[3])


def question(packet):
    labels, i = [], 12
    while packet[i] != 0:
        n = packet[i]
        labels.append(packet[i + 1:i + 1 + n].decode('ascii', 'replace'))
        i += 1 + n
    qtype, = struct.unpack('!H', packet[i + 1:i + 3])
    return '.'.join(labels).lower(), qtype, packet[12:i + 5]


def answer(sock, packet, peer):
    time.sleep(delay)
    qname, qtype, q = question(packet)
    found = qname == name and qtype == 1
    header = packet[:2] + struct.pack('!HHHHH', 0x8180, 1, 1 if found else 0, 0, 0)
    body = q
    if found:
        body += struct.pack('!HHHIH', 0xC00C, 1, 1, 60, 4) + socket.inet_aton(address)
    sock.sendto(header + body, peer)
    print('answered %s type %d after %.1f s' % (qname, qtype, delay), flush=True)


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(('127.0.0.1', 53))
print('listening', flush=True)
while True:
    data, peer = sock.recvfrom(512)
    if len(data) > 12:
        threading.Thread(target=answer, args=(sock, data, peer), daemon=True).start()
