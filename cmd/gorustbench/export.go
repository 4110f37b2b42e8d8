package main

import "github.com/spf13/cobra"

func exportCmd() *cobra.Command { return &cobra.Command{Use: "export", Hidden: true} }
