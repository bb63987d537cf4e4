#!/usr/bin/env bash
# A pilot sample (--sample N --seed S) is the same set for every reviewer with the same
# seed, shown in file order; --order random --seed N is reproducible.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
cd "$T"

screen_all() { # NAME LOG N SEED [more options]: decide the whole sample with 'i'
  local name=$1 log=$2 n=$3 seed=$4 k; shift 4
  tm_start "$name" "NO_COLOR=1 winnow-screen review --reviewer $name --stage ta --log $log --sample $n --seed $seed $* '$RECORDS'"
  tm_wait "$name" "[0/$n done"
  for k in $(seq 1 "$n"); do tm_keys "$name" i; tm_wait "$name" "saved #$k: include"; done
  tm_wait "$name" "all $n records are decided"
  tm_keys "$name" q
  tm_wait "$name" "__EXIT=0__"
}
screen_all ann ann.log 8 7
screen_all bob bob.log 8 7 --order random
screen_all cid cid.log 8 8
ids() { tail -n +2 "$1" | cut -f4; }
expect_eq "$(ids ann.log | sort)" "$(ids bob.log | sort)" "same seed, same pilot sample"
CHECKS=$((CHECKS+1))
[ "$(ids ann.log | sort)" != "$(ids cid.log | sort)" ] || fail "another seed drew the same sample"
# the sample is shown in file order; with --order random it is not
pos() { local id; while read -r id; do grep -n "\"id\":\"$id\"" "$RECORDS" | cut -d: -f1; done; }
expect_eq "$(ids ann.log | pos | sort -n | tr '\n' ' ')" "$(ids ann.log | pos | tr '\n' ' ')" "sample in file order"
CHECKS=$((CHECKS+1))
[ "$(ids bob.log | pos | sort -n | tr '\n' ' ')" != "$(ids bob.log | pos | tr '\n' ' ')" ] || fail "random order came out sorted"
# agreement over the pilot: both decided the same 8
expect_rc 0 winnow-screen agree --json ann.log bob.log
expect_eq "$(jq .n "$T/out")" 8 "pilot agreement over the sample"
# a random order is reproducible: the same seed shows the same first record
first() {
  tm_start "$1" "NO_COLOR=1 winnow-screen review --reviewer $1 --stage ta --log $1.log --order random --seed $2 '$RECORDS'"
  tm_wait "$1" "[0/50 done"
  tm_capture "$1" | sed -n 3p
  tm_keys "$1" q
}
a=$(first dan 42); b=$(first eve 42); c=$(first fay 43)
expect_eq "$a" "$b" "same seed, same order"
CHECKS=$((CHECKS+1))
[ "$a" != "$c" ] || fail "seeds 42 and 43 start with the same record"
CHECKS=$((CHECKS+1))
[ "$a" != "$(nth_title 1)" ] || fail "random order started with the first record"
done_testing
