#!/bin/bash
# For run.sh --script: what pinbench offers on this guest kernel (pinbench list -v).
set -uo pipefail
/pinbench/bench/pinbench list > "${1:?results folder}/pinbench-list.txt" 2>&1
