process.stdout.write("skeleton\n");
