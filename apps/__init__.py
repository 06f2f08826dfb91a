"""The runtime the Kivy apps share (kiosk, staff terminal, display board, pairing)."""
