"""Command line: python -m mailadmin_fakeapi --seed FILE --state-dir DIR [...]."""

import argparse
import copy
import ipaddress
import json
import os
import subprocess
import sys
import threading
import time

from . import ratelimit, y360
from .server import make_server
from .state import Store

DEFAULT_SEED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "seed.json")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="mailadmin_fakeapi",
                                     description="Local imitation of the Y360, mail-list, CloudUSS and PDD APIs.")
    parser.add_argument("--seed", default=DEFAULT_SEED, help="seed JSON file (default: the bundled seed.json)")
    parser.add_argument("--state-dir", required=True, help="directory for server.json and server.log")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port, 0 = any free port (default)")
    parser.add_argument("--latency-ms", type=float, default=0, help="latency added to every API answer")
    parser.add_argument("--rate-limit", action="append", default=[], metavar="SERVICE=RPS",
                        help="answer 429 beyond RPS requests a second to SERVICE (y360, cloud, clouduss, "
                             "pdd); repeatable")
    parser.add_argument("--lifetime", type=float, default=3600,
                        help="seconds after which the server exits by itself (default 3600)")
    parser.add_argument("--daemon", action="store_true",
                        help="start detached, wait for server.json, print it and exit")
    parser.add_argument("--generate-users", type=int, default=0, help="synthetic users added to the seed")
    parser.add_argument("--generate-delegated", type=int, default=0,
                        help="synthetic delegated mailboxes (a few actors each) added to the seed")
    parser.add_argument("--generate-shared", type=int, default=0,
                        help="synthetic shared mailboxes (shared001@ the org domain, a name, a description and "
                             "a few actors each) added to the seed")
    return parser.parse_args(argv)


def check_loopback(host):
    if host == "localhost":
        return "127.0.0.1"
    try:
        if ipaddress.ip_address(host).is_loopback and ":" not in host:
            return host
    except ValueError:
        pass
    raise SystemExit("refusing to bind %r: only IPv4 loopback addresses are allowed" % host)


def write_json_atomic(path, document):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=1)
    os.replace(tmp, path)


def run_daemon(argv, state_dir):
    """Start the server as a detached child and print its server.json once it exists."""
    info_path = os.path.join(state_dir, "server.json")
    if os.path.exists(info_path):
        os.remove(info_path)
    child_argv = [a for a in argv if a != "--daemon"]
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    log_path = os.path.join(state_dir, "server.log")
    with open(log_path, "ab") as log, open(os.devnull, "rb") as devnull:
        child = subprocess.Popen([sys.executable, "-m", "mailadmin_fakeapi"] + child_argv,
                                 stdin=devnull, stdout=log, stderr=subprocess.STDOUT,
                                 env=env, start_new_session=True, close_fds=True)
    deadline = time.time() + 15
    while time.time() < deadline:
        if os.path.exists(info_path):
            with open(info_path, encoding="utf-8") as handle:
                print(handle.read())
            return 0
        if child.poll() is not None:
            break
        time.sleep(0.05)
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        sys.stderr.write(handle.read()[-4000:])
    sys.stderr.write("mailadmin_fakeapi did not start (see %s)\n" % log_path)
    return 1


def build_store(args):
    with open(args.seed, encoding="utf-8") as handle:
        seed = json.load(handle)
    try:
        rate_limits = ratelimit.parse_cli(args.rate_limit)
    except ValueError as err:
        raise SystemExit(str(err)) from None
    store = Store(seed, {"latency_ms": args.latency_ms,
                         "rate_limits": {k: v for k, v in rate_limits.items() if v is not None}})
    if args.generate_users or args.generate_delegated or args.generate_shared:
        with store.lock:
            y360.generate(store, args.generate_users, args.generate_delegated)
            y360.generate_shared(store, args.generate_shared)
            store.seed = copy.deepcopy(store.data)  # reset keeps the generated data
    return store


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    host = check_loopback(args.host)
    try:
        ratelimit.parse_cli(args.rate_limit)
    except ValueError as err:
        raise SystemExit(str(err)) from None
    state_dir = os.path.abspath(args.state_dir)
    os.makedirs(state_dir, exist_ok=True)
    if args.daemon:
        # The child must find the seed whatever its working directory.
        fixed = []
        for index, value in enumerate(argv):
            if index and argv[index - 1] in ("--seed", "--state-dir"):
                value = os.path.abspath(value)
            fixed.append(value)
        if "--seed" not in argv:
            fixed += ["--seed", os.path.abspath(args.seed)]
        return run_daemon(fixed, state_dir)
    store = build_store(args)
    httpd = make_server(store, host, args.port)
    port = httpd.server_address[1]
    base = "http://%s:%d" % (host, port)
    info = {"pid": os.getpid(), "port": port, "base_url": base, "control_url": base + "/_control",
            "y360_url": base + "/y360", "cloud_url": base + "/cloud",
            "clouduss_url": base + "/clouduss", "pdd_url": base + "/pdd"}
    info_path = os.path.join(state_dir, "server.json")
    write_json_atomic(info_path, info)
    timer = threading.Timer(args.lifetime, httpd.app.shutdown_soon)
    timer.daemon = True
    timer.start()
    print("mailadmin_fakeapi listening on %s (pid %d)" % (base, os.getpid()), flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        timer.cancel()
        httpd.server_close()
        if os.path.exists(info_path):
            os.remove(info_path)
    return 0
