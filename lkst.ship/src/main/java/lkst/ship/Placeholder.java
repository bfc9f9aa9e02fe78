package lkst.ship; final class Placeholder {}
