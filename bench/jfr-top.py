#!/usr/bin/env python3
"""Aggregates a JFR recording's execution samples: top self frames, and inclusive counts of frames.

Usage: python3 bench/jfr-top.py recording.jfr [thread-substring] [top]
Runs `jfr print --events jdk.ExecutionSample --stack-depth 96`; "inclusive" counts a sample once per method
anywhere in its stack, which shows which of the product's steps (multipart parsing, validation, S3 put, the
outbox relay, mail, thumbnails...) the CPU went to.
"""
import collections
import re
import subprocess
import sys

path = sys.argv[1]
thread_filter = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] != '-' else None
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
text = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '96', path],
                      capture_output=True, text=True, check=True).stdout
events = text.split('jdk.ExecutionSample')
self_counts = collections.Counter()
incl = collections.Counter()
threads = collections.Counter()
total = 0
frame_re = re.compile(r'^\s+([\w$.<>/]+)\(.*line:')
for ev in events:
    m = re.search(r'sampledThread = "([^"]*)"', ev)
    if not m:
        continue
    thread = m.group(1)
    if thread_filter and thread_filter not in thread:
        continue
    frames = [fm.group(1) for fm in (frame_re.match(l) for l in ev.splitlines()) if fm]
    if not frames:
        continue
    total += 1
    threads[re.sub(r'[-#]?\d+', '#', thread)] += 1
    self_counts[frames[0]] += 1
    for f in set(frames):
        incl[f] += 1
print(f'{total} samples')
print('\n== threads')
for t, c in threads.most_common(15):
    print(f'{100*c/total:5.1f}%  {t}')
print('\n== top self frames')
for f, c in self_counts.most_common(top):
    print(f'{100*c/total:5.1f}%  {f}')
print('\n== inclusive (dicomflow and selected library entry points)')
interesting = re.compile(r'io\.dicomflow|MultipartStream|FileItem|DiskFileItem|Derby|derby|ImageIO|PNG|png|'
                         r'Mail|mail|S3Client|putObject|headObject|JpaRepository|hibernate\.engine\.transaction|'
                         r'DigestInputStream|MessageDigest|ClassLoader.getResource|ZipFile|JarFile|Jackson|jackson')
for f, c in incl.most_common():
    if interesting.search(f) and c / total >= 0.01:
        print(f'{100*c/total:5.1f}%  {f}')
