package suite

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/peer"
)

// The harness's own fan-out answer agrees with the table every peer's tests read (computed
// independently from the definition).
func TestFanoutAnswerMatchesTheSharedTable(t *testing.T) {
	f, err := os.Open("../../workloads/fanout/checksums.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.Fields(sc.Text())
		if len(line) != 3 || strings.HasPrefix(line[0], "#") {
			continue
		}
		size, _ := strconv.ParseInt(line[0], 10, 64)
		seed, _ := strconv.ParseUint(line[1], 10, 64)
		if got := fanoutAnswer(peer.Params{Size: size, Seed: seed}); got != line[2] {
			t.Errorf("size %d seed %d: %s, the table says %s", size, seed, got, line[2])
		}
		n++
	}
	if n == 0 {
		t.Fatal("no rows read")
	}
	if got := Footprint.Answer(peer.Params{Size: 1000}); got != fnvHex("1000") || len(got) != 16 {
		t.Errorf("footprint answer %q", got)
	}
}
