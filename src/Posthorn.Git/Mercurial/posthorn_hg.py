# Posthorn's side of Mercurial, run by Posthorn as: python3 -c <this file> MODE REPOSITORY [ARGS...]
#   cgi         serve one request with hgweb (the CGI variables are in the environment)
#   refs        print "0*40 NODE REF" per ref: refs/heads/BRANCH (the branch's tipmost head, closed or
#               not), refs/bookmarks/NAME, refs/tags/NAME (never the pseudo-tag tip); then
#               "skipped NODE SHOWN<TAB>REASON" per ref left out because its name cannot be recorded
#   existing    print those of the given nodes the repository holds
#   push        everything a recorded push needs, in one process: reads stdin lines
#               "tip NODE" (a node the refs pointed at before), "move OLD NEW" (a ref move) and
#               "before NODE REF" (a ref before: a tip, and a move to wherever REF is now); prints one
#               JSON line {"refs": {REF: NODE}, "forward": [OLD of each move that is an ancestor of
#               its NEW]}, then one JSON line per changeset newer than all the tips, oldest first
# Byte strings throughout: Mercurial's names and paths are bytes.
import json
import os
import socket
import sys

from mercurial import hg, ui as uimod
from mercurial.node import hex, bin

ZERO = b'0' * 40


def unstorable(name):
    """Why Posthorn cannot record the ref NAME exactly, or None: the rule of RefName.WhyNotStorable.
    hg's own checks let control characters other than NUL, CR and LF into new names, and a pushed
    changeset's .hgtags or branch can carry any bytes."""
    if any(b < 0x20 or b == 0x7f for b in bytearray(name)):
        return b'contains a control character'
    try:
        name.decode('utf-8')
    except UnicodeDecodeError:
        return b'is not valid UTF-8'
    return None


def shown(name):
    """NAME for messages: its UTF-8 as it is, other bytes and control characters as \\xNN (as RefName.Shown)."""
    text = name.decode('utf-8', 'backslashreplace')
    return ''.join('\\x%02x' % ord(c) if ord(c) < 0x20 or ord(c) == 0x7f else c for c in text).encode('utf-8')


def refs(repo):
    """The refs Posthorn records, and those it leaves out (their names cannot be recorded exactly:
    two such names could become one, and a NUL cannot be stored), each as {ref: node}."""
    changelog = repo.changelog
    found, skipped = {}, {}

    def add(name, node):
        (skipped if unstorable(name) else found)[name] = hex(node)

    for branch, heads, _tip, _closed in repo.branchmap().iterbranches():
        add(b'refs/heads/' + branch, max(heads, key=changelog.rev))
    for name, node in repo._bookmarks.items():
        add(b'refs/bookmarks/' + name, node)
    for name, node in repo.tags().items():
        if name != b'tip' and changelog.hasnode(node):
            add(b'refs/tags/' + name, node)
    return found, skipped


def ref_lines(found):
    return b''.join(b'%s %s %s\n' % (ZERO, node, name) for name, node in sorted(found.items()))


def skipped_lines(skipped):
    return b''.join(b'skipped %s %s\t%s\n' % (node, shown(name), unstorable(name)) for name, node in sorted(skipped.items()))


def known(repo, nodes):
    changelog = repo.changelog
    return [n for n in nodes if len(n) == 40 and changelog.hasnode(bin(n))]


def text(value):
    return value.decode('utf-8', 'replace')


def whole(number):
    # hg's API stores a changeset date of any size (its command line refuses dates past 32 bits;
    # other tools need not): 1e300 or -2**70 would not fit the reader's 64-bit integers, and the
    # push could not be recorded. Such a date reads as the epoch, as git reads a date it cannot parse.
    try:
        value = int(number)
    except (OverflowError, ValueError):
        return 0
    return value if -2**63 <= value < 2**63 else 0


def changesets(repo, before, out):
    changelog = repo.changelog
    start = max([changelog.rev(bin(n)) for n in known(repo, before)], default=-1) + 1
    for rev in range(start, len(repo)):
        if rev in changelog.filteredrevs:
            continue
        ctx = repo[rev]
        status = ctx.p1().status(ctx)
        seconds, offset = ctx.date()
        out.write(json.dumps({
            'rev': rev,
            'node': text(ctx.hex()),
            'branch': text(ctx.branch()),
            'desc': text(ctx.description()),
            'user': text(ctx.user()),
            'seconds': whole(seconds),
            'offset': whole(offset),
            'parents': [text(p.hex()) for p in ctx.parents() if p.rev() >= 0],
            'added': [text(f) for f in status.added],
            'modified': [text(f) for f in status.modified],
            'removed': [text(f) for f in status.removed],
        }, ensure_ascii=False).encode('utf-8') + b'\n')


def ancestors(repo, pairs):
    changelog = repo.changelog
    for old, new in zip(pairs[::2], pairs[1::2]):
        if known(repo, [old, new]) == [old, new] and changelog.isancestor(bin(old), bin(new)):
            yield old


def push(repo, lines, out):
    found = refs(repo)[0]
    tips, moves = [], []
    for line in lines:
        parts = line.rstrip(b'\n').split(b' ', 2)
        if parts[0] == b'tip' and len(parts) == 2:
            tips.append(parts[1])
        elif parts[0] == b'move' and len(parts) == 3:
            moves += parts[1:]
        elif parts[0] == b'before' and len(parts) == 3:
            tips.append(parts[1])
            now = found.get(parts[2])
            if now is not None and now != parts[1]:
                moves += [parts[1], now]
    out.write(json.dumps({
        'refs': {text(name): text(node) for name, node in found.items()},
        'forward': sorted(set(text(n) for n in ancestors(repo, moves))),
    }, ensure_ascii=False).encode('utf-8') + b'\n')
    changesets(repo, tips, out)


KINDS = ((b'refs/heads/', b'branch'), (b'refs/bookmarks/', b'bookmark'), (b'refs/tags/', b'tag'))


def visible(repo):
    """A fresh view of REPO as main() reads it for Posthorn: hgweb's own view, made before the
    transaction, can answer tags from before it."""
    return repo.unfiltered().filtered(b'visible')


def open_hook(ui, repo, **kwargs):
    """pretxnopen: notes the refs left out before the transaction, so that pretxnclose refuses
    only names the transaction adds or moves (a repository that already has one stays usable)."""
    repo.unfiltered()._posthorn_skipped = refs(visible(repo))[1]
    return False


def hook(ui, repo, **kwargs):
    """pretxnclose: before the transaction commits, the server that ran hgweb journals the refs
    it is about to show; if that server is gone or refuses, the transaction is rolled back. A
    branch, bookmark or tag the transaction adds or moves whose name cannot be recorded is refused
    here, with a message the hg client shows: left out, it would land unannounced."""
    port = os.environ.get('POSTHORN_HOOK_PORT')
    if not port:
        return False
    # Tags read before the transaction (by open_hook) may be cached and would miss a pushed .hgtags.
    vars(repo.unfiltered()).pop('_tagscache', None)
    found, skipped = refs(visible(repo))
    before = getattr(repo.unfiltered(), '_posthorn_skipped', {})
    for ref, node in sorted(skipped.items()):
        if before.get(ref) != node:
            prefix, kind = next((p, k) for p, k in KINDS if ref.startswith(p))
            ui.warn(b'posthorn: push refused, nothing was changed: the name of %s "%s" %s; '
                    b'names must be UTF-8 without control characters\n' % (kind, shown(ref[len(prefix):]), unstorable(ref)))
            return True
    message = os.environ['POSTHORN_HOOK_TICKET'].encode('ascii') + b'\n' + ref_lines(found) + b'.\n'
    answer = b''
    try:
        with socket.create_connection(('127.0.0.1', int(port)), timeout=120) as connection:
            connection.sendall(message)
            answer = connection.makefile('rb').readline().strip()
    except OSError:
        answer = b'the server that received this push is gone'
    if answer == b'ok':
        return False
    ui.warn(b'posthorn: %s; nothing was changed\n' % (answer or b'the server did not confirm the push'))
    return True


def serve(path):
    from mercurial.hgweb import hgweb, wsgicgi
    ui = uimod.ui.load()
    # Overlay settings win over the repository's own .hg/hgrc: Posthorn has already decided who may
    # push (allow-push is "*" after its check, empty otherwise) and serves plain HTTP behind itself.
    for section, name, value in (
        (b'web', b'push_ssl', b'false'),
        (b'web', b'allow-push', os.environ.get('POSTHORN_HG_ALLOW_PUSH', '').encode('ascii')),
        (b'web', b'allow-archive', b''),
        (b'web', b'allow_read', b'*'),
        (b'ui', b'interactive', b'false'),
    ):
        ui.setconfig(section, name, value, b'posthorn')
    if os.environ.get('POSTHORN_HOOK_PORT'):
        ui.setconfig(b'hooks', b'pretxnopen.posthorn', open_hook, b'posthorn')
        ui.setconfig(b'hooks', b'pretxnclose.posthorn', hook, b'posthorn')
    wsgicgi.launch(hgweb(path, baseui=ui))


def main():
    mode, path, args = sys.argv[1], os.fsencode(sys.argv[2]), [a.encode('ascii') for a in sys.argv[3:]]
    if mode == 'cgi':
        serve(path)
        return
    repo = hg.repository(uimod.ui.load(), path).filtered(b'visible')
    out = sys.stdout.buffer
    if mode == 'refs':
        found, skipped = refs(repo)
        out.write(ref_lines(found) + skipped_lines(skipped))
    elif mode == 'existing':
        out.write(b''.join(n + b'\n' for n in known(repo, args)))
    elif mode == 'push':
        push(repo, sys.stdin.buffer.readlines(), out)
    else:
        raise SystemExit('unknown mode')


main()
