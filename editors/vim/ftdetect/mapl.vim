" mapl plan files and scripts (also a `#!/usr/bin/env mapl` first line).
autocmd BufNewFile,BufRead *.mapl setfiletype mapl
autocmd BufNewFile,BufRead * if getline(1) =~# '^#!.*\<mapl\>' | setfiletype mapl | endif
