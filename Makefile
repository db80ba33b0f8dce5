# The build lives in GNUmakefile; this file is for tools that look for "Makefile".
include GNUmakefile
