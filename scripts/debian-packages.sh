# Sourced by setup.sh and browser-test-setup.sh: installs the Debian packages given that are
# missing (apt-get, as root), or says they are all present. Needs a `fail` function.
install_missing_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "packages: all $# present"
    return
  fi
  [ "$(id -u)" -eq 0 ] || fail "missing packages ${missing[*]}: run this script as root (it uses apt-get)"
  echo "packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
}
