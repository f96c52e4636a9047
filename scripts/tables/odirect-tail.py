#!/usr/bin/env python3
"""The odirect tail per boot and setting: results/ab-odirect/tail.txt.

usage: python3 scripts/tables/odirect-tail.py results/ab-odirect

For each rR/KERNEL/*odirect-*.csv: per region and size, the per-I/O p50 and
p90, the share of I/Os over 1 ms in each rep, the sum per rep, and the host's
other CPU use (host.txt). It reads the per-I/O rows (op io), which the
committed set does not keep (results/ab-odirect/.gitignore): run it on the
untrimmed folder that make ab PROFILE=odirect writes.
"""
import glob,collections,re,sys,os
root=sys.argv[1]
thr=1e6
rows=[]
for d in sorted(glob.glob(root+'/r[0-9]*/*')):
    k=os.path.basename(d); r=d.split('/')[-2]
    seq=open(d+'/kernel.txt').read().split('boot_seq: ')[1].split()[0] if os.path.exists(d+'/kernel.txt') else '?'
    host=[l for l in open(d+'/host.txt')] if os.path.exists(d+'/host.txt') else []
    oc=[l.split(': ')[1].strip() for l in host if l.startswith('others_cpus')]
    qc=[l for l in host if l.startswith('qemu_cpu_s') or l.startswith('wall_s')]
    for f in sorted(glob.glob(d+'/*odirect-*.csv')):
        reg=f.split('odirect-')[1][:-4]
        buf=[]; per={}
        for line in open(f):
            if line[0]=='#' or line.startswith('label'): continue
            c=line.rstrip().split(',')
            if c[9]=='io': buf.append(int(c[10]) if c[11]=='ok' else None)
            elif c[9]=='pin': per[(int(c[7]),int(c[8]))]=buf; buf=[]
        for size in sorted({s for s,_ in per}):
            allv=[x for rep in range(5) for x in per.get((size,rep),[]) if x]
            if not allv: continue
            s=sorted(allv); n=len(s)
            slow=[round(100*sum(1 for x in per[(size,rep)] if x and x>thr)/max(1,len(per[(size,rep)]))) for rep in range(5)]
            tot=[round(sum(x for x in per[(size,rep)] if x)/1e6) for rep in range(5)]
            rows.append((k,reg,size>>30,seq,s[n//2]/1e3,s[int(n*.9)]/1e3,slow,tot,oc[0] if oc else '-'))
for r in sorted(rows, key=lambda x:(x[1],x[2],x[0],int(x[3]) if x[3].isdigit() else 0)):
    print(f"{r[1]:18s} {r[2]}G {r[0]:14s} seq {r[3]:>2s} p50 {r[4]:6.0f}us p90 {r[5]:6.0f}us slow%/rep {r[6]} sum/rep ms {r[7]} others_cpus {r[8]}")
