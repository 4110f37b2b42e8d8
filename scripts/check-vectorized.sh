#!/bin/sh
# Prints, for each built naive matmul peer, whether the inner loop of its naive kernel is
# vectorised: it disassembles the kernel's function in the built binary (objdump) and counts
# packed double-precision multiplies/adds/FMAs (mulpd, vmulpd, vfmadd...pd: vectorised) against
# scalar ones (mulsd, addsd, vfmadd...sd). The kernel is the only floating-point loop in those
# functions, so "packed > 0" means its inner loop runs on SIMD lanes. Go's compiler does not
# auto-vectorise, Rust's release build is opt-level 3, C's ordinary build is -O2 (GCC's
# very-cheap vectoriser cost model, which refuses loops whose trip count needs an epilogue).
#
# Usage: scripts/check-vectorized.sh [root]   (root: the repository, default .)
# Binaries that are not built are reported as such; exit status 0 unless objdump is missing.
set -eu
root=${1:-.}
command -v objdump >/dev/null || { echo "check-vectorized: objdump not found" >&2; exit 1; }

# check <label> <binary> <awk regex matching the kernel's demangled function header>
check() {
	label=$1 bin=$2 fn=$3
	if [ ! -x "$bin" ]; then
		printf '%-28s not built (%s)\n' "$label" "$bin"
		return
	fi
	objdump -d -C --no-show-raw-insn "$bin" | awk -v fn="$fn" -v label="$label" '
		/^[0-9a-f]+ <.*>:$/ { inside = ($0 ~ fn); if (inside) found++; next }
		inside && /(v?(mul|add)pd|vfn?m(add|sub)[0-9]+pd)[ \t]/ { packed++ }
		inside && /(v?(mul|add)sd|vfn?m(add|sub)[0-9]+sd)[ \t]/ { scalar++ }
		END {
			if (!found) { printf "%-28s kernel %s not found (inlined?)\n", label, fn; exit }
			printf "%-28s %-10s (%d packed, %d scalar double mul/add/fma in %s)\n", label,
				(packed > 0 ? "VECTORISED" : "scalar"), packed, scalar, fn
		}'
}

check "go naive"                "$root/workloads/bin/matmul"                  '<main\.naiveRows>:'
check "go naive (GOAMD64=v3)"   "$root/workloads/bin-native/matmul"           '<main\.naiveRows>:'
check "rust naive"              "$root/rustpeers/target/release/matmul"       '<matmul::naive_rows>:'
check "rust naive (native)"     "$root/rustpeers/target/native/release/matmul" '<matmul::naive_rows>:'
check "c naive (-O2)"           "$root/cpeers/bin/matmul"                     '<naive_rows>:'
check "c naive (-O3 -march=native)" "$root/cpeers/bin-native/matmul"          '<naive_rows>:'
