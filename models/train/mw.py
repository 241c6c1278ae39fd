#!/usr/bin/python3
"""MuckWatch model tools: `mw.py train|eval|export|shapes|zoo ...` (run with Debian's /usr/bin/python3)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    p = argparse.ArgumentParser(prog="mw.py")
    sub = p.add_subparsers(dest="cmd", required=True)
    from mwtrain import cli

    cli.register(sub)
    args = p.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
