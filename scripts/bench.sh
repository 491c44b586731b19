#!/usr/bin/env bash
# Speed against the reference scripts in ../shared/bench/peers/, measured side by side
# in one invocation (the machines are shared and noisy: only a same-run ratio means anything).
#
#   scripts/bench.sh knn          k-NN queries/s against scikit-learn, identical predictions
#   scripts/bench.sh mlp          784-30-10 epoch time against numpy (network2.py style), best of 5 each
#   scripts/bench.sh cnn          seed 002's CNN images/s against jit-compiled JAX, GFLOP/s against
#                                 sgemm.py, the matrix products' share of the time, peak memory, debug/release ratio
#   scripts/bench.sh elastic      Simard's elastic distortion images/s against scipy.ndimage
#
# Our side is built the way users run it (`swift build`, debug, numeric targets optimised).
set -euo pipefail
cd "$(dirname "$0")/.."
peers=${PEERS:-../shared/bench/peers}
[ -d "$peers" ] || { echo "bench: no peer scripts at $peers (set PEERS=...)" >&2; exit 1; }
what=${1:-knn}

echo "bench: building (debug, as 'swift run' does)" >&2
swift build --product experiments-bench >&2
ours=$(swift build --show-bin-path)/experiments-bench
echo "bench: preparing the peers' Python environment" >&2
PY=$("$peers/setup.sh" | tail -1)

# pinned THREADS COMMAND...: runs a command on the first THREADS cores.
pinned() { local n=$1; shift; taskset -c "0-$((n - 1))" env OPENBLAS_NUM_THREADS="$n" OMP_NUM_THREADS="$n" "$@"; }

ratio() {   # label field ours-json peer-json higher-is-better(1|0)
  python3 - "$@" <<'PY'
import json, sys
label, field, ours, peer, higher = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4]), sys.argv[5] == "1"
r = ours[field] / peer[field] if higher else peer[field] / ours[field]
acc = " ".join(f"{k} {ours[k]} / {peer[k]}" for k in ("test_accuracy",) if k in ours and k in peer)
print(f"{label:<38} {field}: ours {ours[field]:>10} peer {peer[field]:>10}  ratio {r:5.2f}  {acc}")
PY
}

fastest() {   # field json-lines: the line whose field is smallest
  python3 -c 'import json, sys; rows = [json.loads(l) for l in sys.argv[2].splitlines() if l.strip()]; print(json.dumps(min(rows, key=lambda r: r[sys.argv[1]])))' "$1" "$2"
}

spread() {   # field json-lines name: "name MIN to MAX"
  python3 -c 'import json, sys; v = [json.loads(l)[sys.argv[1]] for l in sys.argv[2].splitlines() if l.strip()]; print(f"{sys.argv[3]} {min(v)} to {max(v)}")' "$1" "$2" "$3"
}

efficiency() {   # ours-json sgemm.py-json-lines: GFLOP/s against sgemm.py on our shapes, sgemm share, peak memory
  python3 - "$1" "$2" <<'PY'
import json, sys
ours = json.loads(sys.argv[1])
runs = [json.loads(line)["gflops"] for line in sys.argv[2].splitlines() if line.strip()]
peak = {shape: max(run[shape] for run in runs) for shape in runs[0]}   # the best of the sgemm.py runs
# Our products at the speed of sgemm.py's conv-shaped GEMMs (the dense products, 6% of the
# work, at conv2's: sgemm.py's small dense shape collapses when a neighbour core is busy).
shapes = ("conv1_im2col_b64", "conv2_im2col_b64", "conv2_im2col_b64")
ceiling = sum(ours["flops_by_shape"]) / sum(f / peak[s] for f, s in zip(ours["flops_by_shape"], shapes))
memory = ours["peak_rss_mb"]
print(f"{'':<38} {ours['gflops']:6.1f} GFLOP/s = {ours['gflops'] / ceiling:4.0%} of sgemm.py's {ceiling:6.1f} on these shapes"
      f" ({ours['threads']} thread(s)); matrix products {ours['products_share']:4.0%} of the time; peak memory {memory:.0f} MB"
      f" ({'under' if memory < 300 else 'OVER'} 300 MB)")
PY
}

compare() {   # label ours-json peer-json
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
label, ours, peer = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
ratio = ours["queries_per_s"] / peer["queries_per_s"]
same = ours["predictions_sha256"] == peer["predictions_sha256"]
print(f"{label:<34} ours {ours['queries_per_s']:>9.1f} q/s  scikit-learn {peer['queries_per_s']:>9.1f} q/s  "
      f"ratio {ratio:5.2f}  accuracy {ours['accuracy']:.4f} / {peer['accuracy']:.4f}  "
      f"predictions {'identical' if same else 'DIFFER'}")
PY
}

case "$what" in
  knn)
    fashion=/usr/share/datasets/fashion-mnist
    for threads in 1 2; do
      o=$(pinned "$threads" "$ours" knn --train 1000 --test 100 --seed 0 --k 5 --threads "$threads" | tail -1)
      p=$(pinned "$threads" "$PY" "$peers/knn_sklearn.py" --data data/mnist_5k.csv.gz --train 1000 --test 100 --k 5 --threads "$threads" | tail -1)
      compare "mnist5k 1000/100, $threads thread(s)" "$o" "$p"
      o=$(pinned "$threads" "$ours" knn --idx "$fashion" --k 5 --threads "$threads" | tail -1)
      p=$(pinned "$threads" "$PY" "$peers/knn_sklearn.py" --idx "$fashion" --k 5 --threads "$threads" | tail -1)
      compare "Fashion-MNIST 60k/10k, $threads thread(s)" "$o" "$p"
    done
    ;;
  mlp)
    # An epoch takes tens of milliseconds, so one busy moment of a neighbour decides a single
    # run: each side runs five times, interleaved, and the fastest of each is compared (as timeit).
    o="" p=""
    for _ in 1 2 3 4 5; do
      o+=$(pinned 1 "$ours" mlp --threads 1 --epochs 5 | tail -1)$'\n'
      p+=$(pinned 1 "$PY" "$peers/mlp_numpy.py" --data data/mnist_5k.csv.gz --threads 1 --epochs 5 | tail -1)$'\n'
    done
    ratio "MLP 784-30-10, batch 10, 1 thread" epoch_s "$(fastest epoch_s "$o")" "$(fastest epoch_s "$p")" 0
    echo "  s/epoch over 5 runs each: $(spread epoch_s "$o" ours), $(spread epoch_s "$p" numpy)"
    ;;
  cnn)
    # sgemm.py's GEMMs shaped as our conv and dense products: the ceiling, per thread count.
    # Three runs each, as a busy neighbour core can cut a two-thread product to a fraction.
    declare -A ceiling
    for threads in 1 2; do
      for run in 1 2 3; do
        ceiling[$threads]+=$(pinned "$threads" "$PY" "$peers/sgemm.py" --threads "$threads" | tail -1)$'\n'
      done
    done
    for variant in relu_ce sigmoid_mse; do
      for batch in 10 64; do
        for threads in 1 2; do
          o=$(pinned "$threads" "$ours" cnn --variant "$variant" --batch "$batch" --threads "$threads" --epochs 3 | tail -1)
          p=$(pinned "$threads" "$PY" "$peers/cnn_jax.py" --data data/mnist_5k.csv.gz --variant "$variant" --batch "$batch" --threads "$threads" --epochs 3 | tail -1)
          ratio "CNN $variant, batch $batch, $threads thread(s)" images_per_s "$o" "$p" 1
          efficiency "$o" "${ceiling[$threads]}"
        done
      done
    done
    # `swift run` builds debug: the engine must be as fast there as in a release build.
    echo "bench: building (release, for the debug/release ratio)" >&2
    swift build -c release --product experiments-bench >&2
    release=$(swift build -c release --show-bin-path)/experiments-bench
    for batch in 10 64; do
      d=$(pinned 2 "$ours" cnn --variant relu_ce --batch "$batch" --threads 2 --epochs 3 | tail -1)
      r=$(pinned 2 "$release" cnn --variant relu_ce --batch "$batch" --threads 2 --epochs 3 | tail -1)
      ratio "CNN relu_ce, batch $batch, 2 threads: debug/release" images_per_s "$d" "$r" 1
    done
    ;;
  elastic)
    # The same displacement fields on both sides (numpy's RandomState(0)), so the mean change must agree.
    o=$(pinned 1 "$ours" elastic --count 5000 --alpha 34 --sigma 4 --seed 0 --threads 1 | tail -1)
    p=$(pinned 1 "$PY" "$peers/elastic_scipy.py" --data data/mnist_5k.csv.gz --count 5000 --alpha 34 --sigma 4 --seed 0 --threads 1 | tail -1)
    ratio "elastic distortion, 1 thread" images_per_s "$o" "$p" 1
    python3 -c 'import json,sys; o,p=json.loads(sys.argv[1]),json.loads(sys.argv[2]); print("mean |change| per pixel: ours", o["mean_abs_change"], "scipy", p["mean_abs_change"])' "$o" "$p"
    ;;
  *) echo "bench: unknown benchmark '$what' (benchmarks: knn, mlp, cnn, elastic)" >&2; exit 1 ;;
esac
