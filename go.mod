module github.com/sneller-re/sneller

go 1.26
