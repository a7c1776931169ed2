#!/usr/bin/env python3
"""Fill <!--out ...--> markers in the README template with real output."""
# Usage (from the repository root, after `cargo build`):
#   python3 grammar/reference/generate.py grammar/reference/README.tmpl.md grammar/README.md
import os, re, shlex, subprocess, sys, tempfile
BIN = os.environ.get('PEELQL_BIN', 'target/debug/peelql')
src, dst = sys.argv[1], sys.argv[2]
lines = open(src).read().split('\n')
out, i, failures = [], 0, 0
last_block = None
env = dict(os.environ, NO_COLOR='1')
while i < len(lines):
    line = lines[i]
    if line.startswith('```pql'):
        j = i + 1
        while not lines[j].startswith('```'):
            j += 1
        last_block = '\n'.join(lines[i + 1:j])
        out.extend(lines[i:j + 1]); i = j + 1; continue
    m = re.match(r'^<!--out(.*)-->$', line.strip())
    if m:
        opts = shlex.split(m.group(1))
        fmt = 'md'; head = None; params = []; script = False
        for o in opts:
            if o in ('md', 'csv', 'table', 'text', 'err', 'warn', 'json', 'ndjson', 'grid'): fmt = o
            elif o.startswith('head='): head = int(o[5:])
            elif o.startswith('param='): params += ['--param', o[6:]]
            elif o == 'script': script = True
        query = last_block
        # `warn`: the answer as markdown, then the warnings printed under it
        cli_fmt = {'md': 'markdown', 'text': 'markdown', 'err': 'markdown', 'warn': 'markdown'}.get(fmt, fmt)
        if script:
            tf = tempfile.NamedTemporaryFile('w', suffix='.pql', delete=False, dir='/tmp'); tf.write(query); tf.close()
            cmd = [BIN, '--memory', 'run', tf.name, '--format', cli_fmt] + params
        else:
            cmd = [BIN, '--memory', '--format', cli_fmt] + params + ['-c', query]
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        if fmt == 'err':
            if p.returncode == 0:
                print('EXPECTED ERROR but ok:', query, file=sys.stderr); failures += 1
            text = p.stderr.rstrip('\n')
            if script: text = text.replace(tf.name, 'script.pql')
            out += ['```text', text, '```']
        else:
            if p.returncode != 0:
                print('FAILED:', query, '\n', p.stderr, file=sys.stderr); failures += 1
            elif fmt == 'warn' and 'peelql::warning::' not in p.stderr:
                print('EXPECTED A WARNING but none:', query, file=sys.stderr); failures += 1
            elif fmt != 'warn' and p.stderr.strip():
                # an example that warns must show its warning (`warn`)
                print('UNEXPECTED WARNING:', query, '\n', p.stderr, file=sys.stderr); failures += 1
            text = p.stdout.rstrip('\n')
            if head is not None:
                tl = text.split('\n')
                if fmt == 'md':
                    extra = len(tl) - (head + 2)
                    if extra > 0:
                        text = '\n'.join(tl[:head + 2]) + f'\n\n*… {extra} more row{"s" if extra != 1 else ""} not shown.*'
                else:
                    extra = len(tl) - head
                    if extra > 0:
                        text = '\n'.join(tl[:head]) + f'\n… ({extra} more lines not shown)'
            if fmt == 'md':
                out += ['', text, '']
            elif fmt == 'warn':
                warnings = p.stderr.rstrip('\n')
                if script: warnings = warnings.replace(tf.name, 'script.pql')
                out += ['', text, '', '```text', warnings, '```']
            else:
                out += ['```text', text, '```']
        i += 1; continue
    out.append(line); i += 1
text = '\n'.join(out)
text = re.sub(r'\n{3,}', '\n\n', text)
open(dst, 'w').write(text)
print('failures:', failures)
