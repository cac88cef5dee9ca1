# Copies the published site to the IIS servers
Copy-Item -Recurse .\publish\* \\web01\c$\inetpub\intranet
