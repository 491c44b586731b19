#!/usr/bin/env bash
# Speed against the reference scripts in ../shared/bench/peers/, measured side by side
# in one invocation (the machines are shared and noisy: only a same-run ratio means anything).
#
#   scripts/bench.sh knn          k-NN queries/s against scikit-learn, identical predictions
#   scripts/bench.sh mlp          784-30-10 epoch time against numpy (network2.py style)
#   scripts/bench.sh cnn          seed 002's CNN images/s against jit-compiled JAX
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
    o=$(pinned 1 "$ours" mlp --threads 1 --epochs 5 | tail -1)
    p=$(pinned 1 "$PY" "$peers/mlp_numpy.py" --data data/mnist_5k.csv.gz --threads 1 --epochs 5 | tail -1)
    ratio "MLP 784-30-10, batch 10, 1 thread" epoch_s "$o" "$p" 0
    ;;
  cnn)
    for variant in relu_ce sigmoid_mse; do
      for batch in 10 64; do
        for threads in 1 2; do
          o=$(pinned "$threads" "$ours" cnn --variant "$variant" --batch "$batch" --threads "$threads" --epochs 3 | tail -1)
          p=$(pinned "$threads" "$PY" "$peers/cnn_jax.py" --data data/mnist_5k.csv.gz --variant "$variant" --batch "$batch" --threads "$threads" --epochs 3 | tail -1)
          ratio "CNN $variant, batch $batch, $threads thread(s)" images_per_s "$o" "$p" 1
        done
      done
    done
    ;;
  elastic)
    # The same displacement fields on both sides (numpy's RandomState(0)), so the mean change must agree.
    o=$(pinned 1 "$ours" elastic --count 5000 --alpha 34 --sigma 4 --seed 0 --threads 1 | tail -1)
    p=$(pinned 1 "$PY" "$peers/elastic_scipy.py" --data data/mnist_5k.csv.gz --count 5000 --alpha 34 --sigma 4 --seed 0 --threads 1 | tail -1)
    ratio "elastic distortion, 1 thread" images_per_s "$o" "$p" 1
    python3 -c 'import json,sys; o,p=json.loads(sys.argv[1]),json.loads(sys.argv[2]); print(f"mean |change| per pixel: ours {o["mean_abs_change"]}, scipy {p["mean_abs_change"]}")' "$o" "$p"
    ;;
  *) echo "bench: unknown benchmark '$what' (benchmarks: knn, mlp, cnn, elastic)" >&2; exit 1 ;;
esac
