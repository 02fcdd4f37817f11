"""Drives each case of the OS unlock against the real polkit (see `run`):
starts `twofold --check-system-unlock` as an ordinary user (polkit answers
root without asking), an authentication agent for exactly that process,
answers the agent's prompt, and prints what Twofold said.

Every wait is for something seen: the agent's registration (its notify fd
closing), its "Password: " prompt with echo off, Twofold's answer."""
import os
import pty
import select
import signal
import subprocess
import sys
import termios

HERE, APP = sys.argv[1], sys.argv[2]
PATIENCE = 20


def start_subject():
    # The shell waits for a line, then becomes Twofold: the same process id
    # and start time, the subject the agent was registered for.
    subject = subprocess.Popen(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
         "sh", "-c", 'read _ && exec "$0" --check-system-unlock', APP],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    with open(f"/proc/{subject.pid}/stat") as stat:
        start = stat.read().rsplit(")", 1)[1].split()[19]
    return subject, f"{subject.pid},{start}"


def read_until(fd, marker, seen=b""):
    while marker not in seen:
        if not select.select([fd], [], [], PATIENCE)[0]:
            sys.exit(f"no {marker!r} from the agent; it showed {seen!r}")
        seen += os.read(fd, 4096)
    return seen


def case(name, agent, typed=None):
    subject, process = start_subject()
    ready_r, ready_w = os.pipe()
    os.set_inheritable(ready_w, True)
    tty = None
    if agent == "pkttyagent":
        # pkttyagent reads the password from its controlling terminal.
        pid, tty = pty.fork()
        if pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.execvp("pkttyagent", ["pkttyagent", "--process", process, "--notify-fd", str(ready_w)])
    elif agent == "dismissing":
        pid = subprocess.Popen(["/usr/bin/python3", f"{HERE}/dismissing_agent.py", process, str(ready_w)],
                               pass_fds=[ready_w]).pid
    else:
        pid = None
    os.close(ready_w)
    os.read(ready_r, 1)  # closed once the agent is registered (or gone)
    os.close(ready_r)
    if pid and os.waitpid(pid, os.WNOHANG)[0]:
        sys.exit(f"{name}: the agent ended before it registered")
    subject.stdin.write("\n")
    subject.stdin.flush()
    if tty is not None:
        read_until(tty, b"Password: ")
        # The prompt is printed before echo is turned off (and input
        # flushed): typing before that would be lost.
        while termios.tcgetattr(tty)[3] & termios.ECHO:
            select.select([], [], [], 0.005)
        os.write(tty, typed)
    answer = subject.stdout.read().strip()
    subject.wait()
    if pid:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    print(f"{name}: {answer}", flush=True)


case("right", "pkttyagent", b"right password\n")
case("wrong", "pkttyagent", b"not the password\n")
case("dismissed", "dismissing")
case("no agent", None)
