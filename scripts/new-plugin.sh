#!/usr/bin/env bash
# Scaffolds a fieldlink plugin as a project of its own: a CMakeLists.txt that builds NAME.so
# against the installed SDK, the plugin's source, and a test that loads the built .so
# through the SDK's test kit.
#   scripts/new-plugin.sh NAME KIND [DIR]
#     NAME  a lower-case letter, then lower-case letters, digits or '_' (for a message type,
#           the message_type clients send)
#     KIND  message_type, stats or notifier
#     DIR   where to create it (default ./NAME); it must not exist yet
# Installed with the SDK as <prefix>/bin/fieldlink-new-plugin.
set -euo pipefail

usage() {
  sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
refuse() {
  echo "new-plugin.sh: $1" >&2
  exit 2
}

[[ $# -ge 2 && $# -le 3 ]] || usage
name=$1
kind=$2
dir=${3:-./$1}
[[ $name =~ ^[a-z][a-z0-9_]{0,62}$ ]] ||
  refuse "NAME must be a lower-case letter, then lower-case letters, digits or '_' (got '$name')"
case $kind in
  message_type | stats | notifier) ;;
  *) refuse "KIND must be message_type, stats or notifier (got '$kind')" ;;
esac
[[ ! -e $dir ]] || refuse "$dir exists already"

# In the source tree the templates sit in sdk/; once installed, in share/fieldlink_sdk/.
here=$(cd "$(dirname "$0")" && pwd)
if [[ -d $here/../sdk/templates ]]; then
  templates=$here/../sdk/templates
  api_header=$here/../sdk/include/fieldlink/sdk/api_version.hpp
elif [[ -d $here/../share/fieldlink_sdk/templates ]]; then
  templates=$here/../share/fieldlink_sdk/templates
  api_header=$here/../include/fieldlink/sdk/api_version.hpp
else
  refuse "cannot find the plugin templates next to $0"
fi
api_version=$(sed -n 's/^#define FIELDLINK_SDK_API_VERSION \([0-9]\{1,\}\)$/\1/p' "$api_header")
[[ -n $api_version ]] || refuse "cannot read the SDK API version from $api_header"
class=$(sed -E 's/(^|_)([a-z0-9])/\U\2/g' <<<"$name")

fill() {
  sed -e "s/@NAME@/$name/g" -e "s/@CLASS@/$class/g" -e "s/@KIND@/$kind/g" \
    -e "s/@API_VERSION@/$api_version/g" "$1" >"$2"
}
mkdir -p "$dir"
fill "$templates/common/CMakeLists.txt.in" "$dir/CMakeLists.txt"
fill "$templates/$kind/plugin.cpp.in" "$dir/${name}_plugin.cpp"
fill "$templates/$kind/test.cpp.in" "$dir/${name}_test.cpp"

cat <<DONE
Created the $kind plugin '$name' in $dir. Build and test it against the installed SDK:
  cmake -S $dir -B $dir/build -DCMAKE_PREFIX_PATH=<where the SDK is installed>
  cmake --build $dir/build && ctest --test-dir $dir/build --output-on-failure
Then copy $dir/build/$name.so into the server's plugins.dir and enable it.
DONE
