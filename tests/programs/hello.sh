#!/bin/hello script-argument
This file is not read by anyone: exec runs its "#!" interpreter,
/bin/hello, with argv "/bin/hello", "script-argument", "/bin/hello.sh"
and then this script's own arguments; hello prints them.
