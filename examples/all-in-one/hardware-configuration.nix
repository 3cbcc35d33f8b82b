# Example of a VM's hardware configuration (what `nixos-generate-config` writes to
# /etc/nixos/hardware-configuration.nix). Replace it with your machine's own.
{ ... }:
{
  boot.loader.grub.device = "/dev/vda";
  boot.initrd.availableKernelModules = [ "virtio_pci" "virtio_blk" "virtio_scsi" ];
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };
  swapDevices = [ ];
}
