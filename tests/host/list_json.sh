#!/usr/bin/env bash
# `pinbench list --json` is valid JSON and holds every method and region kind
# of the tables (each method with its flags, graph title and phase count);
# `list --names` names the same methods; a bad argument is refused.
source "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip "jq is not installed (apt-get install jq, or scripts/deps.sh)"

pb list --json
expect_rc 0 "list --json"
cp "$TMP/out" "$TMP/list.json"
python3 -m json.tool "$TMP/list.json" >/dev/null || die "list --json: not valid JSON"
jq -e . "$TMP/list.json" >/dev/null || die "list --json: jq cannot read it"

pb list --names
expect_rc 0 "list --names"
[ -s "$TMP/out" ] || die "list --names printed nothing"
diff <(jq -r '.methods[].name' "$TMP/list.json") "$TMP/out" || die "list --names and list --json disagree"

# Every method: texts, a title, flags as the audit reads them, its phases.
jq -e '.methods | all(.name != "" and .what != "" and .path != "" and .title != "" and
	(.flags | type) == "array" and (.foll_pin | type) == "boolean" and (.longterm | type) == "boolean" and
	(.phases | type) == "number" and (.available | type) == "boolean")' "$TMP/list.json" >/dev/null ||
	die "a method lacks a field: $(jq -c '.methods[0]' "$TMP/list.json")"
jq -e '.methods[] | select(.name == "vfio") | .foll_pin and .longterm and .phases >= 5 and (.flags | index("FOLL_LONGTERM"))' \
	"$TMP/list.json" >/dev/null || die "vfio: FOLL_PIN, FOLL_LONGTERM and its phases expected"
jq -e '.methods[] | select(.name == "rdma-odp") | (.foll_pin | not)' "$TMP/list.json" >/dev/null ||
	die "rdma-odp does not pin with FOLL_PIN"
# Each method's own options (its driver's table), each named by run --help.
jq -e '.methods | all((.options | type) == "array")' "$TMP/list.json" >/dev/null || die "a method lacks its options"
jq -e '(.methods[] | select(.name == "rdma-odp") | .options) == ["rdma-dev", "rdma-access"] and
	(.methods[] | select(.name == "null") | .options) == []' "$TMP/list.json" >/dev/null ||
	die "rdma-odp's or null's options: $(jq -c '[.methods[] | [.name, .options]]' "$TMP/list.json")"
pb run --help
for o in $(jq -r '.methods[].options[]' "$TMP/list.json" | sort -u); do
	grep -q -- "^  --$o " "$TMP/out" || die "run --help lacks --$o"
done
# The text list names the same methods.
pb list
diff <(jq -r '.methods[].name' "$TMP/list.json") <(awk '/^Methods/ { m = 1; next } m && /^  [a-z]/ { print $1 }' "$TMP/out") ||
	die "list and list --json name different methods"

# Region kinds: usage, what, series; the machine's devices.
jq -e '[.regions[].name] | index("devdax") and index("anon") and index("hugetlb")' "$TMP/list.json" >/dev/null ||
	die "region kinds missing"
jq -e '.regions | all(.usage != "" and .what != "" and (.series | type) == "array" and (.here | type) == "array")' \
	"$TMP/list.json" >/dev/null || die "a region kind lacks a field"
jq -e '.machine | (.rdma_devices | type) == "array" and (.vfio_groups | type) == "array" and (.gup_test | type) == "boolean"' \
	"$TMP/list.json" >/dev/null || die "machine: devices missing"

pb list --json --bogus
expect_rc 2 "list --json --bogus"
expect_err "unknown argument '--bogus'"
echo "ok: list --json valid, $(jq '.methods | length' "$TMP/list.json") methods, $(jq '.regions | length' "$TMP/list.json") region kinds"
