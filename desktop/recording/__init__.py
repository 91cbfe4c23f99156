"""The recording of a live: the audience's HLS segments remuxed, without re-encoding, into one
Matroska file per live (:mod:`.recorder` follows the playlist, :mod:`.remux` writes the file,
:mod:`.files` names it and keeps the disk's free space, :mod:`.service` drives it from the live
sessions' snapshots).  No Qt here; PyAV is loaded only by the muxing thread."""
